package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished recordings ({@code recording.retention_max_age}, {@code recording.retention_max_bytes}): whole
 * sessions, oldest first, and only those whose last segment is closed as the session's last, so a recording still
 * being written is never cut, and whose every segment the archive holds, so the spool keeps what is not uploaded.
 */
final class RecordingRetention {

    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);

    private final RecordingLayout layout;
    private final Duration maxAge;
    private final long maxBytes;
    private final SegmentArchive archive;

    RecordingRetention(RecordingLayout layout, Duration maxAge, long maxBytes) {
        this(layout, maxAge, maxBytes, SegmentArchive.NONE);
    }

    RecordingRetention(RecordingLayout layout, Duration maxAge, long maxBytes, SegmentArchive archive) {
        this.layout = layout;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.archive = archive;
    }

    boolean enabled() {
        return maxAge != null || maxBytes > 0;
    }

    private record Finished(String sessionId, Instant lastModified, long bytes) {}

    /** @return how many sessions' recordings it deleted */
    int apply(Instant now) throws IOException {
        List<Finished> finished = new ArrayList<>();
        long total = 0;
        for (String id : layout.sessionIds()) {
            List<Path> segments = layout.segments(id);
            long bytes = 0;
            for (Path segment : segments) {
                bytes += Files.size(segment);
            }
            total += bytes;
            if (!segments.isEmpty()
                    && endsSession(id, segments.get(segments.size() - 1))
                    && archive.holdsAll(segments)) {
                Path last = segments.get(segments.size() - 1);
                finished.add(new Finished(id, Files.getLastModifiedTime(last).toInstant(), bytes));
            }
        }
        finished.sort(Comparator.comparing(Finished::lastModified));
        int deleted = 0;
        for (Finished session : finished) {
            boolean tooOld = maxAge != null && session.lastModified().isBefore(now.minus(maxAge));
            boolean tooMuch = maxBytes > 0 && total > maxBytes;
            if (tooOld || tooMuch) {
                delete(layout.sessionDir(session.sessionId()));
                total -= session.bytes();
                deleted++;
                log.info(
                        "recording retention: deleted the recording of session {} ({})",
                        session.sessionId(),
                        tooOld ? "older than " + maxAge : "recordings over " + maxBytes + " bytes");
            }
        }
        return deleted;
    }

    private static boolean endsSession(String sessionId, Path lastSegment) throws IOException {
        try (var in = Files.newInputStream(lastSegment)) {
            List<byte[]> lines = SegmentLines.read(in).lines();
            if (lines.isEmpty()) {
                return false;
            }
            RecordLine line = RecordLine.parse(lines.get(lines.size() - 1));
            if (line == null || !line.isHead()) {
                return false;
            }
            JsonNode head = RecordJson.MAPPER.readTree(line.json());
            return head.path("last").asBoolean()
                    && sessionId.equals(head.path("session").asText());
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
