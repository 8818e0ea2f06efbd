package dev.agentgate.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementFacts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How requests and votes are written to and read from the state database's rows. */
final class ApprovalRows {

    static final String REQUEST_COLUMNS = "id, requester_issuer, requester_subject, requester_claims, target,"
            + " database_name, statement_text, statement_sha256, statement_facts, reason, decision_id, requested_at,"
            + " expires_at, approvers, min_approvals, mode, strength, channel, estimated_rows, grant_uses,"
            + " grant_window_s, gateway_instance, session_id, state, approvals, decided_at";

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ApprovalRows() {}

    static String insertRequest() {
        return "INSERT INTO approval_requests (" + REQUEST_COLUMNS + ") VALUES (" + "?, ".repeat(25) + "?)";
    }

    /** Binds a new pending request to {@link #insertRequest()}. */
    static void bind(PreparedStatement insert, ApprovalRequest request, HeldBy heldBy) throws SQLException {
        insert.setString(1, request.id());
        insert.setString(2, request.requester().issuer());
        insert.setString(3, request.requester().subject());
        insert.setString(4, json(request.requester().claims()));
        insert.setString(5, request.target());
        insert.setString(6, request.database());
        insert.setString(7, request.statement());
        insert.setString(8, heldBy.statementSha256());
        insert.setString(9, request.facts() == null ? "null" : json(request.facts()));
        insert.setString(10, request.reason());
        insert.setString(11, request.decisionId());
        insert.setLong(12, request.requestedAt().toEpochMilli());
        insert.setLong(13, request.expiresAt().toEpochMilli());
        insert.setString(14, json(request.approvers()));
        insert.setInt(15, request.minApprovals());
        insert.setString(16, request.mode().jsonName());
        insert.setString(17, request.strength().jsonName());
        insert.setString(18, request.channel());
        if (request.estimatedRows() == null) {
            insert.setNull(19, Types.BIGINT);
        } else {
            insert.setLong(19, request.estimatedRows());
        }
        insert.setInt(20, request.grantUses());
        insert.setLong(21, request.grantWindow().toSeconds());
        insert.setString(22, heldBy.gatewayInstance());
        insert.setString(23, heldBy.sessionId());
        insert.setString(24, ApprovalState.PENDING.jsonName());
        insert.setInt(25, 0);
        insert.setNull(26, Types.BIGINT);
    }

    static ApprovalRequest request(ResultSet row) throws SQLException {
        long estimated = row.getLong("estimated_rows");
        Long estimatedRows = row.wasNull() ? null : estimated;
        return new ApprovalRequest(
                row.getString("id"),
                new Requester(
                        row.getString("requester_issuer"),
                        row.getString("requester_subject"),
                        read(row.getString("requester_claims"), new TypeReference<Map<String, Object>>() {})),
                row.getString("target"),
                row.getString("database_name"),
                row.getString("statement_text"),
                facts(row.getString("statement_facts")),
                row.getString("reason"),
                row.getString("decision_id"),
                Instant.ofEpochMilli(row.getLong("requested_at")),
                Instant.ofEpochMilli(row.getLong("expires_at")),
                read(row.getString("approvers"), new TypeReference<List<String>>() {}),
                row.getInt("min_approvals"),
                ApprovalMode.of(row.getString("mode")),
                ApprovalStrength.of(row.getString("strength")),
                row.getString("channel"),
                estimatedRows,
                row.getInt("grant_uses"),
                Duration.ofSeconds(row.getLong("grant_window_s")));
    }

    static Vote vote(ResultSet row) throws SQLException {
        return new Vote(
                new Approver(
                        row.getString("approver_issuer"),
                        row.getString("approver_subject"),
                        read(row.getString("approver_groups"), new TypeReference<List<String>>() {}),
                        Approver.Via.of(row.getString("via"))),
                Verdict.of(row.getString("verdict")),
                Instant.ofEpochMilli(row.getLong("voted_at")),
                row.getString("from_address"));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON in the state database: " + e.getOriginalMessage(), e);
        }
    }

    /** The facts as stored; null when they cannot be read back (they are shown to approvers, never decided on). */
    private static StatementFacts facts(String text) {
        try {
            return JSON.readValue(text, StatementFacts.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
