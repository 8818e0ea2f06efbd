package dev.agentgate.testing;

import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A sink that keeps every session event in memory, responses too, for tests to read in order. Thread-safe. */
public final class RecordingSessionEvents implements SessionEvents {

    private final List<SessionEvent> events = new ArrayList<>();
    private final long responseBudget;

    /** A sink that takes every response whole. */
    public RecordingSessionEvents() {
        this(Long.MAX_VALUE);
    }

    /** A sink that takes the first {@code responseBudget} bytes of each response. */
    public RecordingSessionEvents(long responseBudget) {
        this.responseBudget = responseBudget;
    }

    @Override
    public synchronized void on(SessionEvent event) {
        events.add(event);
        notifyAll();
    }

    @Override
    public long responseBudget() {
        return responseBudget;
    }

    /** The events of one session so far, in order. */
    public synchronized List<SessionEvent> of(String sessionId) {
        return events.stream()
                .filter(event -> event.sessionId().equals(sessionId))
                .toList();
    }

    /** The first event that matches, waiting up to {@code timeout} for it. */
    public synchronized <T extends SessionEvent> T await(Class<T> type, Predicate<T> matching, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (SessionEvent event : events) {
                if (type.isInstance(event) && matching.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " as expected within " + timeout + "; got "
                        + new ArrayList<>(events));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The events of the session's command that received {@code sql}, from its CommandReceived to its CommandCompleted. */
    public List<SessionEvent> commandOf(String sessionId, String sql, Duration timeout) throws InterruptedException {
        SessionEvent.CommandReceived received = await(
                SessionEvent.CommandReceived.class,
                event -> event.sessionId().equals(sessionId) && sql.equals(event.sql()),
                timeout);
        await(
                SessionEvent.CommandCompleted.class,
                event -> event.sessionId().equals(sessionId) && event.commandNo() == received.commandNo(),
                timeout);
        return of(sessionId).stream()
                .filter(event -> commandNo(event) == received.commandNo())
                .toList();
    }

    /** The command an event is about, -1 for session events. */
    public static long commandNo(SessionEvent event) {
        if (event instanceof SessionEvent.CommandReceived e) {
            return e.commandNo();
        } else if (event instanceof SessionEvent.CommandDecided e) {
            return e.commandNo();
        } else if (event instanceof SessionEvent.ApprovalResolved e) {
            return e.commandNo();
        } else if (event instanceof SessionEvent.ResponsePacket e) {
            return e.commandNo();
        } else if (event instanceof SessionEvent.CommandCompleted e) {
            return e.commandNo();
        }
        return -1;
    }
}
