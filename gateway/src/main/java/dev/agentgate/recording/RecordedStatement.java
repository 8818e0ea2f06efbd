package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One recorded statement (a client command), as the reader API gives it to replay, what-if and the sessions page.
 *
 * @param record the record's number in the session
 * @param command the protocol command ({@code COM_QUERY}, {@code COM_STMT_PREPARE}, {@code COM_STMT_EXECUTE}, ...)
 * @param sql the statement text (an EXECUTE's is its PREPARE's), null for commands without one
 * @param parameters an EXECUTE's bound values as text (null for SQL NULL)
 * @param action the policy's outcome for the command, null when the policy did not decide it
 * @param policyInputs the OPA input documents the decisions were taken with, one per decision
 * @param outcome {@code ok}, {@code error}, {@code refused} or {@code unfinished}
 * @param response the response packets as the client received them (payloads without headers), up to {@code
 *     recording.max_result_bytes}
 * @param cutPackets response packets not kept
 * @param cutBytes response bytes not kept
 */
public record RecordedStatement(
        long record,
        long commandNo,
        Instant at,
        String command,
        String sql,
        List<String> parameters,
        String action,
        String reason,
        List<JsonNode> policyInputs,
        String outcome,
        int errorCode,
        String errorMessage,
        long rows,
        long affectedRows,
        List<byte[]> response,
        long cutPackets,
        long cutBytes,
        Duration elapsed) {

    static RecordedStatement of(JsonNode record) {
        List<String> parameters = new ArrayList<>();
        record.path("parameters").forEach(value -> parameters.add(value.isNull() ? null : value.asText()));
        List<JsonNode> inputs = new ArrayList<>();
        record.path("decision").path("policy_inputs").forEach(inputs::add);
        List<byte[]> response = new ArrayList<>();
        record.path("response")
                .forEach(packet -> response.add(Base64.getDecoder().decode(packet.asText())));
        JsonNode decision = record.path("decision");
        return new RecordedStatement(
                record.path("n").asLong(),
                record.path("command_no").asLong(),
                Instant.parse(record.path("at").asText()),
                record.path("command").asText(),
                text(record.path("sql")),
                parameters,
                text(decision.path("action")),
                text(decision.path("reason")),
                inputs,
                record.path("outcome").asText(),
                record.path("error_code").asInt(),
                text(record.path("error_message")),
                record.path("rows").asLong(),
                record.path("affected_rows").asLong(),
                response,
                record.path("response_cut").path("packets").asLong(),
                record.path("response_cut").path("bytes").asLong(),
                Duration.ofNanos(record.path("elapsed_micros").asLong() * 1000));
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
