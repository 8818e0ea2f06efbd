package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The session index of a gateway without a state database: what the recordings themselves say, read when asked
 * (each session's segments are read, so this suits one gateway's recordings, not a fleet's).
 */
public final class RecordingIndexes implements SessionIndex {

    private final RecordingReader reader;

    public RecordingIndexes(RecordingReader reader) {
        this.reader = reader;
    }

    /** The recordings are the index: there is nothing to save. */
    @Override
    public void save(SessionSummary session) {}

    @Override
    public List<SessionSummary> list(Query query) {
        List<SessionSummary> sessions = new ArrayList<>();
        try {
            for (String id : reader.sessionIds()) {
                SessionSummary summary = summaryOf(reader.read(id), null);
                if (query.matches(summary)) {
                    sessions.add(summary);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recordings", e);
        }
        sessions.sort(Comparator.comparing(SessionSummary::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return sessions.subList(0, Math.min(query.limit(), sessions.size()));
    }

    @Override
    public Optional<SessionSummary> find(String sessionId) {
        try {
            RecordedSession session = reader.read(sessionId);
            return session.segments().isEmpty() ? Optional.empty() : Optional.of(summaryOf(session, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording of " + sessionId, e);
        }
    }

    /** What a recording says of its session; {@code status} overrides what it shows (null keeps it). */
    static SessionSummary summaryOf(RecordedSession session, String status) {
        List<JsonNode> records = session.records();
        JsonNode start = records.stream()
                .filter(record -> "session_start".equals(record.path("type").asText()))
                .findFirst()
                .orElse(RecordJson.MAPPER.createObjectNode());
        JsonNode end = records.stream()
                .filter(record -> "session_end".equals(record.path("type").asText()))
                .findFirst()
                .orElse(null);
        long statements = records.stream()
                .filter(record -> "statement".equals(record.path("type").asText()))
                .count();
        long refused = records.stream()
                .filter(record -> "refused".equals(record.path("outcome").asText()))
                .count();
        boolean gaps = records.stream()
                .anyMatch(record -> "gap".equals(record.path("type").asText()));
        boolean interrupted = records.stream()
                .anyMatch(record ->
                        "recording_interrupted".equals(record.path("type").asText()));
        String shown = interrupted
                ? SessionSummary.INTERRUPTED
                : gaps ? SessionSummary.INCOMPLETE : end == null ? SessionSummary.ACTIVE : SessionSummary.ENDED;
        return new SessionSummary(
                session.sessionId(),
                text(start.path("identity").path("issuer")),
                text(start.path("identity").path("subject")),
                text(start.path("target")),
                text(start.path("gateway_instance")),
                instant(start.path("at")),
                end == null ? null : instant(end.path("at")),
                end == null ? null : text(end.path("reason")),
                statements,
                refused,
                status == null ? shown : status);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.asText()) : null;
    }
}
