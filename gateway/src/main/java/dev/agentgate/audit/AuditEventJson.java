package dev.agentgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.policy.Decision;
import dev.agentgate.review.Playback;
import dev.agentgate.session.SessionEvent;
import java.util.Locale;

/**
 * One session event as one JSON object of the SIEM export (the fields are documented in docs/recording.md, "SIEM
 * export"): {@code event}, {@code at}, {@code session_id}, then the event's own fields in snake case. A decision's
 * event carries the exact OPA input of every decision, so that {@code agentgate policy whatif} can replay it.
 */
final class AuditEventJson {

    private final ObjectMapper mapper;

    AuditEventJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The event as JSON, or null for events the export leaves out (response packets). */
    ObjectNode of(SessionEvent event) {
        if (event instanceof SessionEvent.ResponsePacket) {
            return null;
        }
        ObjectNode json = mapper.createObjectNode();
        json.put("event", name(event));
        json.put("at", event.at().toString());
        json.put("session_id", event.sessionId());
        if (event instanceof SessionEvent.Started started) {
            started(json, started);
        } else if (event instanceof SessionEvent.CommandReceived received) {
            json.put("command_no", received.commandNo());
            json.put("command_type", received.commandType());
            json.put("sql", received.sql());
            ArrayNode parameters = json.putArray("parameters");
            received.parameters().forEach(parameters::add);
        } else if (event instanceof SessionEvent.CommandDecided decided) {
            decided(json, decided);
        } else if (event instanceof SessionEvent.ApprovalResolved approval) {
            json.put("command_no", approval.commandNo());
            json.put("request_id", approval.requestId());
            json.put("outcome", approval.outcome());
            ArrayNode approvers = json.putArray("approvers");
            approval.approvers().forEach(approvers::add);
        } else if (event instanceof SessionEvent.CommandCompleted completed) {
            completed(json, completed);
        } else if (event instanceof SessionEvent.IdentityChanged changed) {
            ObjectNode identity = json.putObject("identity");
            identity.put("issuer", changed.identity().issuer());
            identity.put("subject", changed.identity().subject());
            json.put("reason", changed.decision().reason());
            json.put("decision_id", changed.decision().decisionId());
        } else if (event instanceof SessionEvent.Ended ended) {
            json.put("reason", ended.reason().name().toLowerCase(Locale.ROOT));
            json.put("detail", ended.detail());
        }
        return json;
    }

    /** A playback of a recording: {@code session_watched}, the watched session's id, the viewer, how and from where. */
    ObjectNode of(Playback playback) {
        ObjectNode json = mapper.createObjectNode();
        json.put("event", "session_watched");
        json.put("at", playback.at().toString());
        json.put("session_id", playback.sessionId());
        ObjectNode viewer = json.putObject("viewer");
        viewer.put("issuer", playback.reviewer().issuer());
        viewer.put("subject", playback.reviewer().subject());
        json.put("via", playback.reviewer().via().jsonName());
        json.put("from", playback.from());
        return json;
    }

    static String name(SessionEvent event) {
        if (event instanceof SessionEvent.Started) {
            return "session_started";
        } else if (event instanceof SessionEvent.CommandReceived) {
            return "command_received";
        } else if (event instanceof SessionEvent.CommandDecided) {
            return "command_decided";
        } else if (event instanceof SessionEvent.ApprovalResolved) {
            return "approval_resolved";
        } else if (event instanceof SessionEvent.CommandCompleted) {
            return "command_completed";
        } else if (event instanceof SessionEvent.IdentityChanged) {
            return "identity_changed";
        } else if (event instanceof SessionEvent.Ended) {
            return "session_ended";
        }
        return "response_packet";
    }

    private void started(ObjectNode json, SessionEvent.Started started) {
        ObjectNode identity = json.putObject("identity");
        identity.put("issuer", started.identity().issuer());
        identity.put("subject", started.identity().subject());
        json.put("target", started.facts().target());
        json.put("database", started.facts().database());
        json.put("client_address", started.facts().clientAddress());
        json.put("client_program", started.facts().clientProgram());
        json.put("tls", started.facts().tls());
        json.put("tls_protocol", started.tlsProtocol());
        json.put("token_expires_at", String.valueOf(started.identity().expiresAt()));
        json.put("policy_revision", started.policyRevision());
        json.put("gateway_instance", started.gatewayInstance());
    }

    private void decided(ObjectNode json, SessionEvent.CommandDecided decided) {
        json.put("command_no", decided.commandNo());
        json.put("action", decided.action());
        json.put("reason", decided.reason());
        json.put("policy_revision", decided.policyRevision());
        ArrayNode decisions = json.putArray("decisions");
        for (Decision decision : decided.decisions()) {
            ObjectNode one = decisions.addObject();
            one.put("action", decision.action());
            one.put("reason", decision.reason());
            one.put("decision_id", decision.decisionId().orElse(null));
        }
        ArrayNode inputs = json.putArray("policy_inputs");
        for (String input : decided.policyInputs().get()) {
            try {
                inputs.add(mapper.readTree(input));
            } catch (JsonProcessingException notJson) {
                inputs.add(input); // kept as it came: the export must not lose what was decided
            }
        }
    }

    private static void completed(ObjectNode json, SessionEvent.CommandCompleted completed) {
        json.put("command_no", completed.commandNo());
        json.put("outcome", completed.outcome());
        json.put("affected_rows", completed.affectedRows());
        json.put("warnings", completed.warnings());
        json.put("error_code", completed.errorCode());
        json.put("error_message", completed.errorMessage());
        json.put("rows", completed.rows());
        json.put("bytes", completed.bytes());
        json.put(
                "elapsed_ms",
                completed.elapsed() == null ? 0 : completed.elapsed().toMillis());
    }
}
