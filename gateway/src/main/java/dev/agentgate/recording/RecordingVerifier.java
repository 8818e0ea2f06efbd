package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a session's recording against its hash chain and its segments' signed heads, and says where it differs: a
 * changed record (its hash), a removed or moved one (the numbering and the chain), a removed segment (the segment
 * numbers), a cut-short segment or recording (the heads: each says how many records its segment holds and whether
 * it is the session's last).
 */
public final class RecordingVerifier {

    private final VerifyKey key;

    public RecordingVerifier(VerifyKey key) {
        this.key = key;
    }

    public VerifyReport verify(RecordedSession session) {
        return new Pass(session.sessionId()).run(session.segments());
    }

    /** One verification: the chain state as it walks the segments. */
    private final class Pass {
        private final String sessionId;
        private final List<VerifyReport.Finding> problems = new ArrayList<>();
        private final List<VerifyReport.Finding> notes = new ArrayList<>();
        private byte[] hash;
        private long expected = 1;
        private long checked;

        Pass(String sessionId) {
            this.sessionId = sessionId;
            this.hash = HashChain.genesis(sessionId);
        }

        VerifyReport run(List<RawSegment> segments) {
            if (segments.isEmpty()) {
                problems.add(new VerifyReport.Finding(0, 0, "no segments: nothing was recorded, or all was deleted"));
            }
            int expectedSegment = 1;
            SegmentHead lastHead = null;
            for (int i = 0; i < segments.size(); i++) {
                RawSegment segment = segments.get(i);
                if (segment.number() != expectedSegment) {
                    problem(
                            segment.number(),
                            0,
                            "segment(s) " + expectedSegment + ".." + (segment.number() - 1) + " missing (deleted)");
                }
                expectedSegment = segment.number() + 1;
                boolean lastSegment = i == segments.size() - 1;
                lastHead = segment(segment, lastSegment, lastSegment ? null : segments.get(i + 1));
                if (lastHead != null && lastHead.last() && !lastSegment) {
                    problem(segment.number(), 0, "segments follow the one that ends the session (added later)");
                }
            }
            if (lastHead != null && !lastHead.last()) {
                problem(
                        lastHead.segment(),
                        0,
                        "the recording stops without the segment that ends the session"
                                + " (later segments deleted, or the session is still being recorded)");
            }
            return new VerifyReport(sessionId, segments.size(), checked, List.copyOf(problems), List.copyOf(notes));
        }

        private SegmentHead segment(RawSegment segment, boolean lastSegment, RawSegment next) {
            long first = expected;
            SegmentHead head = null;
            int lineNo = 0;
            for (byte[] bytes : segment.lines()) {
                lineNo++;
                RecordLine line = RecordLine.parse(bytes);
                if (line == null) {
                    problem(segment.number(), 0, "line " + lineNo + " is damaged (neither a record nor a head)");
                } else if (head != null) {
                    problem(segment.number(), 0, "line " + lineNo + " follows the segment's head (appended later)");
                } else if (line.isHead()) {
                    head = head(segment, line);
                } else {
                    record(segment.number(), line);
                }
            }
            if (segment.cutShort()) {
                finding(
                        head == null && next != null && recovered(next),
                        segment.number(),
                        "the file is cut short after record " + (expected - 1));
            }
            if (head == null) {
                finding(
                        next != null && recovered(next),
                        segment.number(),
                        "no signed head: the segment ends after record " + (expected - 1)
                                + (next == null ? " (cut short, or the session is still being recorded)" : ""));
                return null;
            }
            if (head.firstRecord() != first || head.lastRecord() != expected - 1) {
                problem(
                        segment.number(),
                        0,
                        "the head signs records " + head.firstRecord() + ".." + head.lastRecord()
                                + " but the segment holds " + first + ".." + (expected - 1) + " (records removed)");
            } else if (!head.lastHash().equals(HashChain.hex(hash))) {
                problem(segment.number(), head.lastRecord(), "the chain does not end where the head signed it");
            }
            return head;
        }

        private SegmentHead head(RawSegment segment, RecordLine line) {
            try {
                JsonNode json = RecordJson.MAPPER.readTree(line.json());
                SegmentHead head = SegmentHead.fromJson(json);
                if (!key.verifies(head.signedBytes(), SegmentHead.signatureOf(json))) {
                    problem(segment.number(), 0, "the head's signature is not valid (head changed, or another key)");
                } else if (!head.sessionId().equals(sessionId) || head.segment() != segment.number()) {
                    problem(
                            segment.number(),
                            0,
                            "the head belongs to segment " + head.segment() + " of session " + head.sessionId()
                                    + " (moved here)");
                }
                return head;
            } catch (IOException | RuntimeException damaged) {
                problem(segment.number(), 0, "the head is damaged: " + damaged.getMessage());
                return null;
            }
        }

        private void record(int segment, RecordLine line) {
            long number;
            JsonNode json;
            try {
                json = RecordJson.MAPPER.readTree(line.json());
                number = json.path("n").asLong(-1);
            } catch (IOException damaged) {
                json = null;
                number = -1;
            }
            if (json != null && "gap".equals(json.path("type").asText())) {
                // not tampering (the record is chained and signed like any other), but the recording is not whole
                notes.add(new VerifyReport.Finding(
                        segment,
                        number,
                        json.path("lost_events").asLong() + " event(s) before this record were not recorded ("
                                + json.path("reason").asText() + ")"));
            }
            checked++;
            byte[] stored = HashChain.fromHex(line.hash());
            byte[] computed = HashChain.next(hash, line.json());
            if (number < expected) {
                // moved here from earlier: the chain goes on from the record before it
                problem(
                        segment,
                        number > 0 ? number : expected,
                        "record " + number + " is out of order (record " + expected + " expected here)");
                return;
            }
            if (number > expected) {
                problem(
                        segment,
                        number,
                        "record(s) " + expected + ".." + (number - 1) + " missing before record " + number
                                + " (deleted or moved)");
            } else if (!Arrays.equals(stored, computed)) {
                problem(segment, number, "the record's content does not match its hash (changed)");
            }
            hash = stored;
            expected = number + 1;
        }

        /** A segment that begins by recording the loss of what came before: the gateway crashed or could not write. */
        private boolean recovered(RawSegment next) {
            if (next.lines().isEmpty()) {
                return false;
            }
            RecordLine first = RecordLine.parse(next.lines().get(0));
            if (first == null || first.isHead()) {
                return false;
            }
            try {
                String type =
                        RecordJson.MAPPER.readTree(first.json()).path("type").asText();
                return type.equals("gap") || type.equals("recording_interrupted");
            } catch (IOException damaged) {
                return false;
            }
        }

        private void finding(boolean onlyNote, int segment, String what) {
            (onlyNote ? notes : problems).add(new VerifyReport.Finding(segment, 0, what));
        }

        private void problem(int segment, long record, String what) {
            problems.add(new VerifyReport.Finding(segment, record, what));
        }
    }
}
