package dev.agentgate.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A login that people approved (just-in-time access): the session decision at login required approval, and the
 * grant of that approval let this session in. The session lives no longer than the grant.
 *
 * @param requestId the approval request the grant comes from, e.g. {@code apr-3f9c2a71d04e}
 * @param approvers who approved it ({@code issuer|subject} or names), in the order they voted
 * @param endsAt when the grant ends: the session ends then at the latest
 */
public record GrantedLogin(String requestId, List<String> approvers, Instant endsAt) {
    public GrantedLogin {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(endsAt, "endsAt");
        approvers = List.copyOf(approvers);
    }

    /** What the client is told when the grant ends its session. */
    public String endedMessage() {
        return "session ended: the approval grant of request " + requestId + " that admitted it ended at " + endsAt
                + "; ask for approval again to connect";
    }
}
