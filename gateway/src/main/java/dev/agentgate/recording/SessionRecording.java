package dev.agentgate.recording;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One session's recording on the writer thread: its hash chain, its open segment and when that is due to rotate.
 * Records appended since the last {@link #commit()} are not durable yet; when writing fails they are given up and
 * the chain goes back to the last durable record, so the next segment continues a chain that is on disk.
 */
final class SessionRecording {

    private final String sessionId;
    private final RecordingLayout layout;
    private final SigningKey key;
    private final long segmentMaxBytes;
    private final long segmentMaxAgeNanos;
    private final Consumer<Path> closedSegments;

    private byte[] lastHash;
    private long records;
    private byte[] durableHash;
    private long durableRecords;
    private int segment;
    private long segmentFirst;
    private SegmentWriter writer;

    /**
     * @param segment the number of the last segment already on disk (0 for a new session)
     * @param lastHash the chain hash after record {@code records}
     * @param closedSegments told of each segment once it is closed with its head
     */
    SessionRecording(
            String sessionId,
            RecordingLayout layout,
            SigningKey key,
            long segmentMaxBytes,
            long segmentMaxAgeNanos,
            Consumer<Path> closedSegments,
            int segment,
            long records,
            byte[] lastHash) {
        this.sessionId = sessionId;
        this.layout = layout;
        this.key = key;
        this.segmentMaxBytes = segmentMaxBytes;
        this.segmentMaxAgeNanos = segmentMaxAgeNanos;
        this.closedSegments = closedSegments;
        this.segment = segment;
        this.records = records;
        this.lastHash = lastHash;
        this.durableRecords = records;
        this.durableHash = lastHash;
    }

    static SessionRecording fresh(
            String sessionId,
            RecordingLayout layout,
            SigningKey key,
            long maxBytes,
            long maxAgeNanos,
            Consumer<Path> closed) {
        return new SessionRecording(
                sessionId, layout, key, maxBytes, maxAgeNanos, closed, 0, 0, HashChain.genesis(sessionId));
    }

    String sessionId() {
        return sessionId;
    }

    long records() {
        return records;
    }

    /** Appends {@code record} as the session's next record (numbered, chained). */
    void append(ObjectNode record) throws IOException {
        if (writer != null && (writer.size() >= segmentMaxBytes || writer.ageNanos() >= segmentMaxAgeNanos)) {
            closeSegment(false);
        }
        if (writer == null) {
            Files.createDirectories(layout.sessionDir(sessionId));
            writer = SegmentWriter.create(layout.segmentFile(sessionId, segment + 1));
            segment++;
            segmentFirst = records + 1;
        }
        ObjectNode numbered = RecordJson.MAPPER.createObjectNode();
        numbered.put("n", records + 1);
        numbered.setAll(record);
        byte[] json = RecordJson.MAPPER.writeValueAsBytes(numbered);
        byte[] hash = HashChain.next(lastHash, json);
        writer.append(RecordLine.record(hash, json));
        records++;
        lastHash = hash;
    }

    boolean dirty() {
        return writer != null && writer.dirty();
    }

    /** Makes every record appended so far durable. */
    void commit() throws IOException {
        if (writer != null) {
            writer.commit();
        }
        durableRecords = records;
        durableHash = lastHash;
    }

    /**
     * Gives up the open segment after a write failed: it stays on disk without a head, and what was not durable is
     * lost.
     *
     * @return how many records were lost
     */
    long abandon() {
        long lost = records - durableRecords;
        records = durableRecords;
        lastHash = durableHash;
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // the segment is given up either way
            }
            writer = null;
        }
        return lost;
    }

    /**
     * Closes the open segment with its signed head, durable together with the records not committed yet: a reader
     * never finds the last of them without the head after them (one force, not two). {@code last} when the session's
     * recording ends.
     */
    void closeSegment(boolean last) throws IOException {
        if (writer == null) {
            return;
        }
        SegmentHead head = new SegmentHead(
                sessionId, segment, segmentFirst, records, HashChain.hex(lastHash), last, Instant.now());
        byte[] json = RecordJson.MAPPER.writeValueAsBytes(head.toJson(key.sign(head.signedBytes())));
        writer.finish(RecordLine.head(json));
        Path closed = writer.file();
        writer = null;
        durableRecords = records;
        durableHash = lastHash;
        closedSegments.accept(closed);
    }
}
