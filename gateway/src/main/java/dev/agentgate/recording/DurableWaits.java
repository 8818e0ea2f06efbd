package dev.agentgate.recording;

import dev.agentgate.session.SessionEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions waiting for a command's records to be durable, each told exactly once: by the writer thread once the
 * batch holding them is committed (or failed), or by {@link #expire} once it waited longer than {@code
 * recording.durable_within}, whatever the writer is stuck in. Told on the session's own executor, never inline.
 */
final class DurableWaits {

    private static final Logger log = LoggerFactory.getLogger(DurableWaits.class);

    /** One command's wait; the writer finds it in the queue right after the command's last event. */
    static final class Wait {
        final String sessionId;
        final long commandNo;
        private final long sinceNanos = System.nanoTime();
        private final Executor executor;
        private final SessionEvents.Durability then;
        private final AtomicBoolean told = new AtomicBoolean();
        /** Why records before this wait were lost in the batch it was taken in (writer thread only). */
        String failedBefore;

        Wait(String sessionId, long commandNo, Executor executor, SessionEvents.Durability then) {
            this.sessionId = sessionId;
            this.commandNo = commandNo;
            this.executor = executor;
            this.then = then;
        }

        void kept() {
            tell(then::kept);
        }

        void notKept(String why) {
            tell(() -> then.notKept(why));
        }

        boolean isTold() {
            return told.get();
        }

        /** Tells it not kept unless it was told already, once {@code first} was told of it; whether it was. */
        boolean expire(String why, Consumer<Wait> first) {
            if (!told.compareAndSet(false, true)) {
                return false;
            }
            try {
                first.accept(this);
            } finally {
                answer(() -> then.notKept(why)); // told whatever the first one did
            }
            return true;
        }

        private void tell(Runnable answer) {
            if (told.compareAndSet(false, true)) {
                answer(answer);
            }
        }

        private void answer(Runnable answer) {
            try {
                executor.execute(answer);
            } catch (RejectedExecutionException sessionGone) {
                log.debug("session {} is gone before its record's durability was told", sessionId);
            }
        }
    }

    /** In the order they began, which is the order they expire in. */
    private final Queue<Wait> waiting = new ConcurrentLinkedQueue<>();

    private final Duration within;
    /** The waits taken in the batch being written (writer thread only). */
    private final List<Wait> batch = new ArrayList<>();

    private final Consumer<Wait> onExpired;
    private final ScheduledExecutorService deadlines;

    /** @param onExpired told of each wait that expires (on the deadline thread), before its session is told */
    DurableWaits(Duration within, Consumer<Wait> onExpired) {
        this.within = within;
        this.onExpired = onExpired;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread deadline = new Thread(runnable, "agentgate-recording-deadlines");
            deadline.setDaemon(true);
            return deadline;
        });
    }

    /** Expires waits from now on, checking a few times per {@code durable_within} (at most every 50 ms). */
    void start() {
        long every = Math.max(1, Math.min(50, within.toMillis() / 4));
        deadlines.scheduleWithFixedDelay(this::expireLate, every, every, TimeUnit.MILLISECONDS);
    }

    private void expireLate() {
        try {
            for (Wait late : expire()) {
                log.warn(
                        "session recorder: command {} of session {} was not durable within {}",
                        late.commandNo,
                        late.sessionId,
                        within);
            }
        } catch (RuntimeException e) {
            log.error("session recorder: cannot expire waits for durability", e);
        }
    }

    Wait begin(String sessionId, long commandNo, Executor executor, SessionEvents.Durability then) {
        Wait wait = new Wait(sessionId, commandNo, executor, then);
        waiting.add(wait);
        return wait;
    }

    /**
     * Tells every wait older than {@code recording.durable_within} that its records are not durable, once {@code
     * onExpired} was told of it.
     *
     * @return the waits that expired now
     */
    List<Wait> expire() {
        List<Wait> expired = new ArrayList<>();
        long limit = within.toNanos();
        long now = System.nanoTime();
        Wait oldest;
        while ((oldest = waiting.peek()) != null) {
            if (oldest.isTold()) {
                waiting.poll();
            } else if (now - oldest.sinceNanos >= limit) {
                waiting.poll();
                // the recorder is behind before the session hears it: its next statement must find it so
                String why = "the statement's record was not durable within " + within.toMillis()
                        + " ms (recording.durable_within)";
                if (oldest.expire(why, onExpired)) {
                    expired.add(oldest);
                }
            } else {
                break;
            }
        }
        return expired;
    }

    /** The writer took {@code wait} from the queue: what its session lost before it in this batch is noted. */
    void taken(Wait wait, RecordingWriter writer) {
        wait.failedBefore = writer.takeFailure(wait.sessionId);
        batch.add(wait);
    }

    /** The batch is committed: every wait taken in it is told whether its session's records made it. */
    void tellBatch(RecordingWriter writer) {
        for (Wait wait : batch) {
            String failed = wait.failedBefore != null ? wait.failedBefore : writer.failureSince(wait.sessionId);
            if (failed == null) {
                wait.kept();
            } else {
                wait.notKept(failed);
            }
        }
        batch.clear();
        writer.waitsTold();
    }

    /** No more waits expire. */
    void close() {
        deadlines.shutdownNow();
    }

    /** The recorder stops: no wait is left waiting. */
    void abandonAll(String why) {
        Wait wait;
        while ((wait = waiting.poll()) != null) {
            wait.notKept(why);
        }
    }
}
