package dev.agentgate.transport;

import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sink that keeps events durably as slowly as a test says: each command's wait for durability is held until the
 * test tells it kept or not kept, or (while {@link #keepAll} is on) is told kept at once. Stands for a store that is
 * slow or fails, at the seam every sink plugs into.
 */
final class DurabilityGate implements SessionEvents {

    /** One command waiting to hear whether its events are durable. */
    record Waiting(long commandNo, Executor executor, Durability then) {
        void kept() {
            executor.execute(then::kept);
        }

        void notKept(String why) {
            executor.execute(() -> then.notKept(why));
        }
    }

    private final BlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
    private volatile boolean keepAll = true;

    @Override
    public void on(SessionEvent event) {}

    @Override
    public boolean keepsDurably() {
        return true;
    }

    @Override
    public void onDurably(String sessionId, long commandNo, Executor executor, Durability then) {
        Waiting wait = new Waiting(commandNo, executor, then);
        if (keepAll) {
            wait.kept();
        } else {
            waiting.add(wait);
        }
    }

    /** From now on every wait is held until the test answers it ({@link #next}). */
    void holdAll() {
        keepAll = false;
    }

    /** From now on every wait is told kept at once (the ones held so far too). */
    void keepAll() {
        keepAll = true;
        Waiting held;
        while ((held = waiting.poll()) != null) {
            held.kept();
        }
    }

    /** The next wait held, waiting up to {@code timeout} for one. */
    Waiting next(Duration timeout) throws InterruptedException {
        Waiting next = waiting.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no command waited for durability within " + timeout);
        }
        return next;
    }
}
