package dev.agentgate.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.protocol.ResponseTranscript;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.recording.StatementResponses;
import java.util.List;
import java.util.Optional;

/**
 * A recorded session as the sessions API and page show it: who, where, when, and every statement with its decision
 * and the response as the client received it (OKs, errors, result tables with their values as text, NULL as null).
 */
final class TranscriptDocument {

    private final ObjectMapper mapper;

    TranscriptDocument(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode of(RecordedSession session, Optional<SessionSummary> summary) {
        ObjectNode document = mapper.createObjectNode();
        document.put("session_id", session.sessionId());
        document.put("status", summary.map(SessionSummary::status).orElse(null));
        JsonNode start = session.start().orElse(mapper.createObjectNode());
        document.set("identity", start.path("identity").isObject() ? start.get("identity") : mapper.nullNode());
        for (String field : List.of("target", "database", "client_address", "client_program", "gateway_instance")) {
            document.set(field, start.path(field).isMissingNode() ? mapper.nullNode() : start.get(field));
        }
        document.put("started_at", text(start.path("at")));
        Optional<JsonNode> end = session.end();
        document.put("ended_at", end.map(e -> text(e.path("at"))).orElse(null));
        document.put("end_reason", end.map(e -> text(e.path("reason"))).orElse(null));
        ArrayNode statements = document.putArray("statements");
        StatementResponses responses = new StatementResponses();
        for (RecordedStatement statement : session.statements()) {
            statements.add(statement(statement, responses));
        }
        return document;
    }

    private ObjectNode statement(RecordedStatement statement, StatementResponses responses) {
        ObjectNode json = mapper.createObjectNode();
        json.put("command_no", statement.commandNo());
        json.put("at", statement.at().toString());
        json.put("command", statement.command());
        json.put("sql", statement.sql());
        ArrayNode parameters = json.putArray("parameters");
        statement.parameters().forEach(parameters::add);
        json.put("action", statement.action());
        json.put("reason", statement.reason());
        json.put("outcome", statement.outcome());
        json.put("error_code", statement.errorCode());
        json.put("error_message", statement.errorMessage());
        json.put("rows", statement.rows());
        json.put("affected_rows", statement.affectedRows());
        json.put("elapsed_ms", statement.elapsed().toNanos() / 1_000_000.0);
        json.putObject("cut").put("packets", statement.cutPackets()).put("bytes", statement.cutBytes());
        ArrayNode response = json.putArray("response");
        try {
            for (ResponseTranscript.Part part : responses.partsOf(statement)) {
                response.add(part(part));
            }
        } catch (RuntimeException undecodable) {
            json.put("undecodable", String.valueOf(undecodable.getMessage()));
        }
        return json;
    }

    private ObjectNode part(ResponseTranscript.Part part) {
        ObjectNode json = mapper.createObjectNode();
        if (part instanceof ResponseTranscript.Ok ok) {
            json.put("kind", "ok")
                    .put("affected_rows", ok.affectedRows())
                    .put("last_insert_id", ok.lastInsertId())
                    .put("warnings", ok.warnings())
                    .put("info", ok.info());
        } else if (part instanceof ResponseTranscript.Error error) {
            json.put("kind", "error")
                    .put("code", error.code())
                    .put("sql_state", error.sqlState())
                    .put("message", error.message());
        } else if (part instanceof ResponseTranscript.Prepared prepared) {
            json.put("kind", "prepared")
                    .put("statement_id", prepared.statementId())
                    .put("parameters", prepared.parameters())
                    .put("columns", prepared.columns());
        } else if (part instanceof ResponseTranscript.ResultSet table) {
            json.put("kind", "result_set");
            ArrayNode columns = json.putArray("columns");
            table.columns().forEach(columns::add);
            ArrayNode rows = json.putArray("rows");
            for (List<byte[]> row : table.rows()) {
                ArrayNode values = rows.addArray();
                for (int i = 0; i < row.size(); i++) {
                    values.add(row.get(i) == null ? null : table.text(row, i));
                }
            }
        }
        return json;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
