package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.approval.LoginApprovals;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.session.GrantedLogin;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.SessionFacts;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The session decision at login (just-in-time access): once the token is valid and before the session is admitted,
 * the policy is asked one question for the whole session, command type {@code connect} and no statement. An allow
 * admits the session, perhaps with limits ({@code max_session_s}, {@code idle_timeout_s}); a required approval
 * admits it only through an approval's grant ({@link LoginApprovals}: ticket mode), until the grant ends; anything
 * else refuses the login, a policy that cannot be asked included (fail closed). Never cached: a login is asked every
 * time.
 */
public final class SessionAdmission {

    /** The {@code command.type} of the session decision. */
    public static final String CONNECT = "connect";

    /** Admitted without limits of its own: the session is asked no question (policy disabled in dev mode). */
    public static final Admitted UNLIMITED =
            new Admitted("policy disabled: sessions are not decided", Optional.empty(), Optional.empty());

    private final PolicyEngine engine;
    private final PolicyInput inputs;
    private final LoginApprovals approvals;

    /** Without approvals: a session decision that requires approval refuses the login. */
    public SessionAdmission(PolicyEngine engine, PolicyInput inputs) {
        this(engine, inputs, null);
    }

    /** @param approvals where logins the policy sends for approval go; null to refuse them */
    public SessionAdmission(PolicyEngine engine, PolicyInput inputs, LoginApprovals approvals) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.approvals = approvals;
    }

    /** What the policy decided for a session. */
    public sealed interface Verdict {
        String reason();
    }

    /**
     * The session may start.
     *
     * @param maxSession the policy's longest session, empty when it set none
     * @param idleTimeout the policy's idle limit, empty when it set none
     * @param approval the approval grant that admits the session (it ends the session), empty for an allow
     */
    public record Admitted(
            String reason,
            Optional<Duration> maxSession,
            Optional<Duration> idleTimeout,
            Optional<String> decisionId,
            Supplier<String> policyInput,
            Optional<GrantedLogin> approval)
            implements Verdict {

        /** Admitted without asking OPA. */
        public Admitted(String reason, Optional<Duration> maxSession, Optional<Duration> idleTimeout) {
            this(reason, maxSession, idleTimeout, Optional.empty(), () -> null);
        }

        /** Admitted by an allow. */
        public Admitted(
                String reason,
                Optional<Duration> maxSession,
                Optional<Duration> idleTimeout,
                Optional<String> decisionId,
                Supplier<String> policyInput) {
            this(reason, maxSession, idleTimeout, decisionId, policyInput, Optional.empty());
        }

        /** The decision as the session's recording keeps it. */
        public LoginDecision recorded() {
            return new LoginDecision(
                    reason,
                    decisionId.orElse(null),
                    maxSession.orElse(null),
                    idleTimeout.orElse(null),
                    policyInput,
                    approval.orElse(null));
        }

        /** The idle limit of the session: the shorter of {@code configured} and the policy's. */
        public Duration idleTimeoutWithin(Duration configured) {
            return idleTimeout.filter(limit -> limit.compareTo(configured) < 0).orElse(configured);
        }
    }

    /** What the client is told when the policy's {@code max_session_s} ends its session. */
    public static String maxDurationMessage(Duration longest) {
        return "session reached its maximum duration of " + longest.toSeconds()
                + " s (max_session_s of the policy's session decision)";
    }

    /** @param clientMessage what the client is told: the policy's reason (and OPA's decision id) */
    public record Refused(String reason, String clientMessage) implements Verdict {}

    /** Completes, on an arbitrary thread, with the verdict on the session; never exceptionally. */
    public CompletableFuture<Verdict> admit(Identity identity, SessionFacts session) {
        CompletableFuture<Decision> decision;
        JsonNode input = null;
        try {
            input = inputs.build(identity, session, Map.of("type", CONNECT), null);
            decision = engine.decide(input);
        } catch (RuntimeException broken) {
            decision = CompletableFuture.failedFuture(broken);
        }
        Supplier<String> askedWith = input == null ? () -> null : input::toString;
        return decision.handle((answer, error) -> error != null ? null : answer)
                .thenCompose(answer -> answer == null
                        ? CompletableFuture.completedFuture(
                                refused("the session could not be checked against the policy", Optional.empty()))
                        : decided(identity, session, answer, askedWith));
    }

    private CompletableFuture<Verdict> decided(
            Identity identity, SessionFacts session, Decision answer, Supplier<String> askedWith) {
        if (answer instanceof Decision.RequireApproval required && approvals != null) {
            return approvals
                    .ask(identity, session, required)
                    .thenApply(approved -> approvedOr(approved, required, askedWith));
        }
        return CompletableFuture.completedFuture(verdictOf(answer, askedWith));
    }

    private static Verdict approvedOr(
            LoginApprovals.Answer approved, Decision.RequireApproval required, Supplier<String> askedWith) {
        if (approved instanceof LoginApprovals.Admitted admitted) {
            GrantedLogin grant = admitted.grant();
            return new Admitted(
                    "approved (request " + grant.requestId() + " by " + String.join(", ", grant.approvers()) + "): "
                            + required.reason(),
                    Optional.empty(),
                    Optional.empty(),
                    required.decisionId(),
                    askedWith,
                    Optional.of(grant));
        }
        String message = ((LoginApprovals.Refused) approved).message();
        return new Refused(message, message);
    }

    static Verdict verdictOf(Decision decision) {
        return verdictOf(decision, () -> null);
    }

    private static Verdict verdictOf(Decision decision, Supplier<String> askedWith) {
        if (decision instanceof Decision.Allow allow) {
            return new Admitted(
                    allow.reason(),
                    allow.obligations().maxSession(),
                    allow.obligations().idleTimeout(),
                    allow.decisionId(),
                    askedWith);
        }
        if (decision instanceof Decision.Deny deny) {
            return refused(deny.reason(), deny.decisionId());
        }
        if (decision instanceof Decision.RequireApproval) {
            return refused(
                    "the session needs approval, but approvals are not enabled on this gateway (" + decision.reason()
                            + ")",
                    decision.decisionId());
        }
        // A login cannot be masked: such a decision must not admit anybody.
        return refused(
                "the policy decided 'mask' for the session, which only an allow, a deny or a required approval can"
                        + " answer (" + decision.reason() + ")",
                decision.decisionId());
    }

    private static Refused refused(String reason, Optional<String> decisionId) {
        return new Refused(
                reason,
                "session refused by agentgate policy: " + reason
                        + decisionId.map(id -> " [decision " + id + "]").orElse(""));
    }
}
