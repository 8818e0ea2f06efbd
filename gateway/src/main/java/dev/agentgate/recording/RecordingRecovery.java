package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, closes the recordings this gateway instance left open when it stopped without ending them (killed,
 * crashed, power lost): each gets one more segment that says so, chained to the last record that reached the disk and
 * signed as the session's last. From then on, cutting what was recovered shows like any other change.
 */
final class RecordingRecovery {

    private static final Logger log = LoggerFactory.getLogger(RecordingRecovery.class);

    private RecordingRecovery() {}

    /** @return the summaries of the sessions it closed */
    static List<SessionSummary> closeInterrupted(
            RecordingLayout layout, String instanceId, SigningKey key, Consumer<Path> closed) throws IOException {
        LocalSegments segments = new LocalSegments(layout.dir());
        RecordingReader reader = new RecordingReader(segments);
        List<SessionSummary> recovered = new java.util.ArrayList<>();
        for (String sessionId : layout.sessionIds()) {
            if (!sessionId.startsWith(instanceId + "-")) {
                continue;
            }
            RecordedSession session = reader.read(sessionId);
            ChainEnd end = ChainEnd.of(session);
            if (end == null || end.finished) {
                continue;
            }
            SessionRecording recording = new SessionRecording(
                    sessionId, layout, key, Long.MAX_VALUE, Long.MAX_VALUE, closed, end.segment, end.records, end.hash);
            ObjectNode record = RecordJson.MAPPER.createObjectNode();
            record.put("type", "recording_interrupted");
            record.put("at", Instant.now().toString());
            record.put("reason", "the gateway stopped without ending the session; what it had not written is lost");
            recording.append(record);
            recording.closeSegment(true);
            log.warn("session {}: its recording was left open by a gateway that stopped; closed it", sessionId);
            recovered.add(RecordingIndexes.summaryOf(session, SessionSummary.INTERRUPTED));
        }
        return recovered;
    }

    /** Where a recording's chain ends on disk: its last readable record, and whether a final head closed it. */
    private record ChainEnd(int segment, long records, byte[] hash, boolean finished) {
        static ChainEnd of(RecordedSession session) {
            if (session.segments().isEmpty()) {
                return null;
            }
            long records = 0;
            byte[] hash = HashChain.genesis(session.sessionId());
            boolean finished = false;
            for (RawSegment segment : session.segments()) {
                for (byte[] bytes : segment.lines()) {
                    RecordLine line = RecordLine.parse(bytes);
                    if (line == null) {
                        continue;
                    }
                    if (line.isHead()) {
                        finished = headSaysLast(line);
                    } else {
                        records = numberOf(line, records + 1);
                        hash = HashChain.fromHex(line.hash());
                        finished = false;
                    }
                }
            }
            int last = session.segments().get(session.segments().size() - 1).number();
            return new ChainEnd(last, records, hash, finished);
        }

        private static boolean headSaysLast(RecordLine line) {
            try {
                return RecordJson.MAPPER.readTree(line.json()).path("last").asBoolean();
            } catch (IOException damaged) {
                return false;
            }
        }

        private static long numberOf(RecordLine line, long otherwise) {
            try {
                JsonNode record = RecordJson.MAPPER.readTree(line.json());
                return record.path("n").asLong(otherwise);
            } catch (IOException damaged) {
                return otherwise;
            }
        }
    }
}
