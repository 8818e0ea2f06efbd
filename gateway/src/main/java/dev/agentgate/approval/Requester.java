package dev.agentgate.approval;

import java.util.Map;
import java.util.Objects;

/**
 * Who asked for a statement to run: the verified identity of the session.
 *
 * @param claims the claims approvers are shown (configured by {@code approval.requester_claims}), never the token
 */
public record Requester(String issuer, String subject, Map<String, Object> claims) {
    public Requester {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        claims = Map.copyOf(claims);
    }

    /** Whether {@code approver} is this same identity (same issuer and subject), who must never approve. */
    public boolean isSameIdentityAs(Approver approver) {
        return issuer.equals(approver.issuer()) && subject.equals(approver.subject());
    }
}
