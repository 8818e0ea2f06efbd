package dev.agentgate.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgate.policy.Decision;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.SessionEvent;
import java.util.List;

/** The JSON records a session's events become (see docs/recording.md for every field). */
final class EventRecords {

    private EventRecords() {}

    static ObjectNode started(SessionEvent.Started started) {
        ObjectNode record = typed("session_start", started);
        record.put("gateway_instance", started.gatewayInstance());
        identity(record.putObject("identity"), started.identity());
        record.put("target", started.facts().target());
        record.put("database", started.facts().database());
        record.put("client_address", started.facts().clientAddress());
        record.put("client_program", started.facts().clientProgram());
        record.put("tls", started.tlsProtocol());
        record.put("connection_id", started.facts().connectionId());
        record.put("policy_revision", started.policyRevision());
        login(record.putObject("login_decision"), started.login());
        return record;
    }

    /** COM_CHANGE_USER: the identity every later statement is decided for, and the decision that admitted it. */
    static ObjectNode identityChanged(SessionEvent.IdentityChanged changed) {
        ObjectNode record = typed("identity_change", changed);
        identity(record.putObject("identity"), changed.identity());
        login(record.putObject("decision"), changed.decision());
        return record;
    }

    private static void identity(ObjectNode identity, dev.agentgate.identity.Identity of) {
        identity.put("issuer", of.issuer());
        identity.put("subject", of.subject());
        identity.set("claims", RecordJson.MAPPER.valueToTree(of.claims()));
    }

    /** The session-level decision (command type connect) that admitted the session, with its limits and input. */
    private static void login(ObjectNode decision, LoginDecision login) {
        decision.put("action", login.approval() == null ? "allow" : "require_approval");
        decision.put("reason", login.reason());
        decision.put("decision_id", login.decisionId());
        decision.put(
                "max_session_s",
                login.maxSession() == null ? null : login.maxSession().toSeconds());
        decision.put(
                "idle_timeout_s",
                login.idleTimeout() == null ? null : login.idleTimeout().toSeconds());
        decision.set("policy_input", json(suppliedOrNull(login.policyInput())));
        if (login.approval() != null) {
            ObjectNode approval = decision.putObject("approval");
            approval.put("request_id", login.approval().requestId());
            login.approval().approvers().forEach(approval.putArray("approvers")::add);
            approval.put("grant_ends_at", login.approval().endsAt().toString());
        }
    }

    static ObjectNode ended(SessionEvent.Ended ended) {
        ObjectNode record = typed("session_end", ended);
        record.put("reason", ended.reason().name().toLowerCase(java.util.Locale.ROOT));
        record.put("detail", ended.detail());
        return record;
    }

    /** Events the recording lost (the writer fell behind, or the store failed): the recording has a hole here. */
    static ObjectNode gap(String sessionId, java.time.Instant at, long lostEvents, String why) {
        ObjectNode record = RecordJson.MAPPER.createObjectNode();
        record.put("type", "gap");
        record.put("at", at.toString());
        record.put("lost_events", lostEvents);
        record.put("reason", why);
        return record;
    }

    static void decision(ObjectNode statement, SessionEvent.CommandDecided decided) {
        ObjectNode decision = statement.putObject("decision");
        decision.put("at", decided.at().toString());
        decision.put("action", decided.action());
        decision.put("reason", decided.reason());
        decision.put("policy_revision", decided.policyRevision());
        ArrayNode each = decision.putArray("decisions");
        for (Decision one : decided.decisions()) {
            ObjectNode item = each.addObject();
            item.put("kind", kind(one));
            item.put("reason", one.reason());
            item.put("decision_id", one.decisionId().orElse(null));
            if (one instanceof Decision.Mask mask) {
                ObjectNode masks = item.putObject("masks");
                mask.masks().forEach((column, rule) -> masks.put(column, rule.strategy()));
            }
        }
        ArrayNode statements = decision.putArray("statements");
        decided.statements()
                .forEach(facts -> statements
                        .addObject()
                        .put("sql", facts.sql())
                        .put("type", facts.type().name().toLowerCase(java.util.Locale.ROOT))
                        .put("digest_hash", facts.digestHash()));
        ArrayNode inputs = decision.putArray("policy_inputs");
        for (String input : policyInputs(decided)) {
            inputs.add(json(input));
        }
    }

    /** The JSON of {@code text}; the text itself when it is not JSON, a JSON null for none. */
    private static JsonNode json(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            return RecordJson.MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(text);
        }
    }

    private static String suppliedOrNull(java.util.function.Supplier<String> text) {
        try {
            return text.get();
        } catch (RuntimeException failed) {
            return null;
        }
    }

    static void approval(ObjectNode statement, SessionEvent.ApprovalResolved resolved) {
        ObjectNode approval = statement.putObject("approval");
        approval.put("at", resolved.at().toString());
        approval.put("request_id", resolved.requestId());
        approval.put("outcome", resolved.outcome());
        ArrayNode approvers = approval.putArray("approvers");
        resolved.approvers().forEach(approvers::add);
    }

    static void completed(ObjectNode statement, SessionEvent.CommandCompleted completed) {
        statement.put("completed_at", completed.at().toString());
        statement.put("outcome", completed.outcome());
        statement.put("affected_rows", completed.affectedRows());
        statement.put("warnings", completed.warnings());
        statement.put("error_code", completed.errorCode());
        statement.put("error_message", completed.errorMessage());
        statement.put("rows", completed.rows());
        statement.put("bytes", completed.bytes());
        statement.put("elapsed_micros", completed.elapsed().toNanos() / 1000);
    }

    static ObjectNode typed(String type, SessionEvent event) {
        ObjectNode record = RecordJson.MAPPER.createObjectNode();
        record.put("type", type);
        record.put("at", event.at().toString());
        return record;
    }

    private static List<String> policyInputs(SessionEvent.CommandDecided decided) {
        try {
            return decided.policyInputs().get();
        } catch (RuntimeException failed) {
            return List.of();
        }
    }

    private static String kind(Decision decision) {
        if (decision instanceof Decision.Allow) {
            return "allow";
        }
        if (decision instanceof Decision.Mask) {
            return "mask";
        }
        return decision instanceof Decision.RequireApproval ? "require_approval" : "deny";
    }
}
