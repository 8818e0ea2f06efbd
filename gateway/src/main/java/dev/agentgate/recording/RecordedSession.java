package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's recording as read: its segments as stored (what {@link RecordingVerifier} checks) and its records in
 * order (what replay and what-if use). Reading checks nothing: verify before trusting it.
 */
public record RecordedSession(String sessionId, List<RawSegment> segments) {

    /** Every record's JSON in order; heads and lines that are not records are left out. */
    public List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        for (RawSegment segment : segments) {
            for (byte[] bytes : segment.lines()) {
                RecordLine line = RecordLine.parse(bytes);
                if (line == null || line.isHead()) {
                    continue;
                }
                try {
                    records.add(RecordJson.MAPPER.readTree(line.json()));
                } catch (IOException damaged) {
                    // verify reports it; a reader goes on with the records it can read
                }
            }
        }
        return records;
    }

    /** The session's {@code session_start} record, if recorded. */
    public Optional<JsonNode> start() {
        return records().stream()
                .filter(record -> "session_start".equals(record.path("type").asText()))
                .findFirst();
    }

    /** The session's {@code session_end} record, if recorded. */
    public Optional<JsonNode> end() {
        return records().stream()
                .filter(record -> "session_end".equals(record.path("type").asText()))
                .findFirst();
    }

    /** Every statement, in the order the session ran them. */
    public List<RecordedStatement> statements() {
        return records().stream()
                .filter(record -> "statement".equals(record.path("type").asText()))
                .map(RecordedStatement::of)
                .toList();
    }
}
