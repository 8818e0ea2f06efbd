package dev.agentgate.review;

import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.RecordingVerifier;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.recording.VerifyKey;
import dev.agentgate.recording.VerifyReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The recording store as reviewers see it: sessions listed by the index, recordings read through the
 * {@link RecordingReader} (whatever store is behind it), checked by the verifier. Every method blocks on disk or the
 * state database: callers run them off event loops.
 */
public final class RecordedSessions {

    /** Sessions the index returns for one listing at most: an {@code action} filter reads each of them. */
    public static final int MAX_SCANNED = 1000;

    private final SessionIndex index;
    private final RecordingReader reader;
    private final Supplier<VerifyKey> verifyKey;

    public RecordedSessions(SessionIndex index, RecordingReader reader, Supplier<VerifyKey> verifyKey) {
        this.index = index;
        this.reader = reader;
        this.verifyKey = verifyKey;
    }

    /** The sessions {@code filter} selects, newest first, at most {@code filter.limit()}. */
    public List<SessionSummary> list(SessionFilter filter) throws IOException {
        List<SessionSummary> found = new ArrayList<>();
        for (SessionSummary session : index.list(filter.indexQuery(MAX_SCANNED))) {
            if (found.size() == filter.limit()) {
                break;
            }
            if (filter.admits(session)
                    && (filter.action() == null || filter.admits(reader.read(session.sessionId())))) {
                found.add(session);
            }
        }
        return found;
    }

    public Optional<SessionSummary> summary(String sessionId) {
        return index.find(sessionId);
    }

    /** The session's recording; empty when nothing of it is stored. */
    public Optional<RecordedSession> read(String sessionId) throws IOException {
        RecordedSession session = reader.read(sessionId);
        return session.segments().isEmpty() ? Optional.empty() : Optional.of(session);
    }

    public VerifyReport verify(RecordedSession session) {
        return new RecordingVerifier(verifyKey.get()).verify(session);
    }
}
