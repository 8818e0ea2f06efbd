package dev.agentgate.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.identity.Identity;
import dev.agentgate.session.SessionFacts;
import java.util.Map;

/**
 * Writes the policy input document, version 1 (docs/policy.md, docs/schemas/policy-input.v1.json):
 * who ({@code identity}), where ({@code session}), which command, and the statement's facts (for the second
 * question about a masked statement, with its column lineage).
 */
public final class PolicyInput {

    public static final int VERSION = 1;

    private final ObjectMapper mapper;

    public PolicyInput(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param command the {@code command} object: {@code type} plus command-specific fields
     * @param statement facts of the statement, or null for commands that carry none
     */
    public ObjectNode build(
            Identity identity, SessionFacts session, Map<String, Object> command, StatementFacts statement) {
        ObjectNode input = mapper.createObjectNode();
        input.put("version", VERSION);
        ObjectNode who = input.putObject("identity");
        who.put("issuer", identity.issuer());
        who.put("subject", identity.subject());
        who.set("claims", mapper.valueToTree(identity.claims()));
        ObjectNode where = input.putObject("session");
        where.put("id", session.connectionId());
        where.put("session_id", session.sessionId());
        where.put("gateway_instance", session.gatewayInstance());
        where.put("target", session.target());
        where.put("database", session.database());
        where.put("client_address", session.clientAddress());
        where.put("tls", session.tls());
        where.put("client_program", session.clientProgram());
        where.set("connect_attrs", mapper.valueToTree(session.connectAttributes()));
        where.put("started_at", session.startedAt().toString());
        where.put(
                "token_expires_at",
                session.tokenExpiresAt() == null
                        ? null
                        : session.tokenExpiresAt().toString());
        input.set("command", mapper.valueToTree(command));
        if (statement != null) {
            input.set("statement", mapper.valueToTree(statement));
        }
        return input;
    }

    /**
     * The input of the second question about a statement whose first decision was {@code mask}: the same input,
     * plus the statement's column lineage as {@code statement.lineage}.
     */
    public ObjectNode build(
            Identity identity,
            SessionFacts session,
            Map<String, Object> command,
            StatementFacts statement,
            StatementLineage lineage) {
        ObjectNode input = build(identity, session, command, statement);
        ((ObjectNode) input.get("statement")).set("lineage", mapper.valueToTree(lineage));
        return input;
    }
}
