package dev.agentgate.policy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code limit} calls to OPA at once; the rest wait their turn in arrival order, each for at most its time
 * budget, without blocking a thread. The gateway's own limit: a call refused here was never sent, so it is no
 * failure of OPA's. Thread-safe.
 */
final class AdmissionQueue {

    /** A call that waited its whole budget, or found the queue full: the gateway is busy, not OPA broken. */
    static final class Overloaded extends Exception {
        Overloaded(String message) {
            super(message, null, false, false);
        }
    }

    private final int limit;
    private final int maxWaiting;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int admitted; // guarded by this

    /**
     * @param limit calls in flight at once
     * @param maxWaiting calls that may wait at once (bounds memory); beyond it a call is refused at once
     */
    AdmissionQueue(int limit, int maxWaiting, ScheduledExecutorService timer) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
        this.timer = timer;
    }

    /** Completes when the call may go, or exceptionally with {@link Overloaded} after {@code maxWait}. */
    CompletableFuture<Void> admit(Duration maxWait) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (this) {
            if (admitted < limit) {
                admitted++;
                turn.complete(null);
                return turn;
            }
            if (waiting.size() >= maxWaiting) {
                turn.completeExceptionally(
                        new Overloaded(waiting.size() + " decisions already waiting for the policy engine"));
                return turn;
            }
            waiting.add(turn);
        }
        timer.schedule(
                () -> {
                    if (turn.completeExceptionally(new Overloaded("waited " + maxWait.toMillis() + " ms for one of "
                            + limit + " calls to the policy engine"))) {
                        synchronized (this) {
                            waiting.remove(turn);
                        }
                    }
                },
                maxWait.toNanos(),
                TimeUnit.NANOSECONDS);
        return turn;
    }

    /** The end of an admitted call: the longest waiting call goes next. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    admitted--;
                    return;
                }
            }
            if (next.complete(null)) {
                return; // the permit passes to it
            }
            // it timed out meanwhile: try the next one
        }
    }
}
