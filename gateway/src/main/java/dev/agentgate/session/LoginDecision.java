package dev.agentgate.session;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The policy's session-level decision at login (command type {@code connect}) that admitted a session, as its
 * recording keeps it: an allow, or a required approval that people granted; what matters is why, with which limits,
 * and what OPA was asked.
 *
 * @param reason the policy's reason (or the gateway's, when no policy decides sessions)
 * @param decisionId OPA's decision id, null when none
 * @param maxSession the policy's {@code max_session_s}, null when it set none
 * @param idleTimeout the policy's {@code idle_timeout_s}, null when it set none
 * @param policyInput the exact OPA input (JSON text), built when asked for; null text when no policy was asked
 * @param approval the approval grant that admitted the session when the policy required approval; null otherwise
 */
public record LoginDecision(
        String reason,
        String decisionId,
        Duration maxSession,
        Duration idleTimeout,
        Supplier<String> policyInput,
        GrantedLogin approval) {

    /** No policy decides sessions (policy disabled). */
    public static final LoginDecision UNDECIDED =
            new LoginDecision("policy disabled: sessions are not decided", null, null, null, () -> null);

    /** An allow: no approval was needed. */
    public LoginDecision(
            String reason, String decisionId, Duration maxSession, Duration idleTimeout, Supplier<String> policyInput) {
        this(reason, decisionId, maxSession, idleTimeout, policyInput, null);
    }

    public LoginDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policyInput, "policyInput");
    }
}
