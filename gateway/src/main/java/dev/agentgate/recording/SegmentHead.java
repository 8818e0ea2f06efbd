package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed line that closes a segment: which records of which session the segment holds and the hash of its last
 * one. A missing head means the segment was cut short; a head whose numbers or hash do not match the records means
 * records were removed or changed; only the signing key can make a head that matches changed records.
 *
 * @param firstRecord number of the segment's first record (records count from 1 per session)
 * @param lastRecord number of its last record ({@code firstRecord - 1} for an empty segment)
 * @param lastHash chain hash after the last record, hex
 * @param last whether the session's recording ends with this segment
 */
public record SegmentHead(
        String sessionId, int segment, long firstRecord, long lastRecord, String lastHash, boolean last, Instant at) {

    /** The exact bytes the signature covers. */
    byte[] signedBytes() {
        return String.join(
                        "\n",
                        "agentgate-segment-head-v1",
                        sessionId,
                        Integer.toString(segment),
                        Long.toString(firstRecord),
                        Long.toString(lastRecord),
                        lastHash,
                        Boolean.toString(last),
                        at.toString())
                .getBytes(StandardCharsets.UTF_8);
    }

    ObjectNode toJson(byte[] signature) {
        ObjectNode head = RecordJson.MAPPER.createObjectNode();
        head.put("type", "head");
        head.put("session", sessionId);
        head.put("segment", segment);
        head.put("first_record", firstRecord);
        head.put("last_record", lastRecord);
        head.put("last_hash", lastHash);
        head.put("last", last);
        head.put("at", at.toString());
        head.put("signature", Base64.getEncoder().encodeToString(signature));
        return head;
    }

    static SegmentHead fromJson(JsonNode head) {
        return new SegmentHead(
                head.path("session").asText(),
                head.path("segment").asInt(),
                head.path("first_record").asLong(),
                head.path("last_record").asLong(),
                head.path("last_hash").asText(),
                head.path("last").asBoolean(),
                Instant.parse(head.path("at").asText()));
    }

    static byte[] signatureOf(JsonNode head) {
        return Base64.getDecoder().decode(head.path("signature").asText());
    }
}
