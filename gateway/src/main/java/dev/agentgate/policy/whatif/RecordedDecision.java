package dev.agentgate.policy.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One decision as it was taken: the exact OPA input, and the action and reason the policy of the day answered.
 *
 * @param sessionId the session it was taken in, empty when the source does not say
 * @param at when it was taken (RFC 3339), empty when the source does not say
 * @param input the policy input document, exactly as OPA was asked
 */
public record RecordedDecision(String sessionId, String at, JsonNode input, String action, String reason) {

    public RecordedDecision {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    public String subject() {
        return input.path("identity").path("subject").asText("");
    }

    public String target() {
        return input.path("session").path("target").asText("");
    }

    /** Who asked, as the policy's reasons name identities: {@code subject (issuer …)}. */
    public String identity() {
        return subject() + " (issuer " + input.path("identity").path("issuer").asText("?") + ")";
    }

    /** The statement's SQL, else the command ({@code command connect}, {@code command ping}). */
    public String statement() {
        JsonNode sql = input.path("statement").path("sql");
        return sql.isTextual()
                ? sql.asText()
                : "command " + input.path("command").path("type").asText("?");
    }

    /** When the session started, as the input says; empty when it does not. */
    public String sessionStartedAt() {
        return input.path("session").path("started_at").asText("");
    }
}
