package dev.agentgate.recording;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every recorded session, whichever gateway held it: the state database's table in a fleet, the recordings
 * themselves for a single gateway. Implementations are thread-safe; {@link #save} may block (the recorder calls it
 * from its own thread, never from a session's).
 */
public interface SessionIndex extends AutoCloseable {

    /** An index that keeps nothing. */
    SessionIndex NONE = new SessionIndex() {
        @Override
        public void save(SessionSummary session) {}

        @Override
        public List<SessionSummary> list(Query query) {
            return List.of();
        }

        @Override
        public Optional<SessionSummary> find(String sessionId) {
            return Optional.empty();
        }
    };

    /** Adds the session, or replaces what was known of it. */
    void save(SessionSummary session);

    /** Sessions matching {@code query}, newest first. */
    List<SessionSummary> list(Query query);

    Optional<SessionSummary> find(String sessionId);

    @Override
    default void close() {}

    /**
     * Which sessions to list; null fields match everything.
     *
     * @param limit at most this many
     */
    record Query(String subject, String target, Instant since, int limit) {
        public static final Query ALL = new Query(null, null, null, Integer.MAX_VALUE);

        public boolean matches(SessionSummary session) {
            return (subject == null || subject.equals(session.subject()))
                    && (target == null || target.equals(session.target()))
                    && (since == null
                            || (session.startedAt() != null
                                    && !session.startedAt().isBefore(since)));
        }
    }
}
