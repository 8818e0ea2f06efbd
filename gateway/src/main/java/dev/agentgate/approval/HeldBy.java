package dev.agentgate.approval;

import java.util.Objects;

/**
 * Where a request comes from, beyond what approvers see: the session that asked and the hash of the exact statement
 * text a grant will match.
 *
 * @param statementSha256 SHA-256 (hex) of the statement text as the client sent it
 */
public record HeldBy(String gatewayInstance, String sessionId, String statementSha256) {
    public HeldBy {
        Objects.requireNonNull(gatewayInstance, "gatewayInstance");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(statementSha256, "statementSha256");
    }
}
