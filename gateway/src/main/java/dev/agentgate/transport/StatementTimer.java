package dev.agentgate.transport;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code statement_timeout_ms} timer of one session: fires once the response in flight has taken longer than its
 * bound. A session under that obligation starts and stops it for every statement, so it is lazy: one task is armed
 * for the earliest deadline it may have to act on and stays armed while statements come and go; when it fires
 * before the current deadline (the statement it was armed for is done) it re-arms for that one, and when no
 * response is in flight it is dropped until the next statement. A busy session thus schedules about one task per
 * timeout instead of one per statement. Confined to the session's event loop, whose clock it reads.
 */
final class StatementTimer {

    private final EventExecutor eventLoop;
    private final Runnable expired;
    /** When the response in flight must be cut (the loop's nano clock); meaningful while {@link #running}. */
    private long deadline;

    private boolean running;
    private ScheduledFuture<?> armed;
    /** When the armed task fires. */
    private long armedFor;

    /** @param expired run on the event loop when a started bound passes before {@link #stop} */
    StatementTimer(EventExecutor eventLoop, Runnable expired) {
        this.eventLoop = eventLoop;
        this.expired = expired;
    }

    /** A response is on its way that must end within {@code bound}. */
    void start(Duration bound) {
        deadline = eventLoop.ticker().nanoTime() + bound.toNanos();
        running = true;
        if (armed != null && armedFor - deadline > 0) {
            armed.cancel(false); // armed for a later deadline (a longer bound before): too late for this one
            armed = null;
        }
        if (armed == null) {
            arm();
        }
    }

    /** The response is complete: the bound no longer applies (the armed task, if any, finds nothing to do). */
    void stop() {
        running = false;
    }

    /** The session closed: nothing may fire, and no task keeps the session in memory. */
    void close() {
        running = false;
        if (armed != null) {
            armed.cancel(false);
            armed = null;
        }
    }

    private void arm() {
        armedFor = deadline;
        armed = eventLoop.schedule(
                this::fired, Math.max(0, deadline - eventLoop.ticker().nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fired() {
        armed = null;
        if (!running) {
            return;
        }
        if (deadline - eventLoop.ticker().nanoTime() > 0) {
            arm(); // armed for a statement that ended; this one's bound is later
            return;
        }
        running = false;
        expired.run();
    }
}
