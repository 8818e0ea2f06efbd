package dev.agentgate.approval;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.session.SessionFacts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Makes the request for one statement from the policy's decision, filling what it leaves out from the config. */
public final class ApprovalRequests {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a login's grant matches in place of a statement's SHA-256: not 64 hex digits, so no statement's grant can
     * ever open a session, nor a session's grant run a statement.
     */
    static final String LOGIN_GRANT = "connect";

    private final ApprovalConfig config;
    private final Clock clock;

    public ApprovalRequests(ApprovalConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** A request with what the gateway knows of it; the request waits for people, and the held-by part for grants. */
    public record Made(ApprovalRequest request, HeldBy heldBy) {}

    /** @param estimatedRows rows the statement would change, counted before asking; null when not counted */
    public Made make(
            Identity identity,
            SessionFacts session,
            StatementFacts statement,
            Decision.RequireApproval decision,
            Long estimatedRows) {
        Instant now = clock.instant();
        Duration timeout = decision.timeout() != null ? decision.timeout() : config.defaultTimeout();
        boolean masked = !decision.masks().isEmpty();
        ApprovalRequest request = new ApprovalRequest(
                newId(),
                new Requester(identity.issuer(), identity.subject(), shownClaims(identity)),
                session.target(),
                session.database(),
                // Masks in the decision mean some values are not for everyone's eyes, approvers included.
                masked ? statement.digest() : statement.sql(),
                // the stored facts must not keep the literals either
                masked ? statement.withSql(statement.digest()) : statement,
                decision.reason(),
                decision.decisionId().orElse(null),
                now,
                now.plus(timeout),
                decision.approvers(),
                decision.minApprovals(),
                ApprovalMode.of(decision.mode() != null ? decision.mode() : config.defaultMode()),
                ApprovalStrength.of(decision.strength()),
                decision.channel(),
                estimatedRows,
                decision.grantUses() != null ? decision.grantUses() : config.grantUses(),
                decision.grantWindow() != null ? decision.grantWindow() : config.grantWindow());
        return new Made(request, new HeldBy(session.gatewayInstance(), session.sessionId(), sha256(statement.sql())));
    }

    /**
     * The request of a login whose session decision requires approval (just-in-time access), always in ticket mode.
     * Its grant is keyed by {@link #LOGIN_GRANT} and no database: it lets the same identity open sessions on the same
     * target, whatever database they start in, within its window.
     */
    public Made makeForLogin(Identity identity, SessionFacts session, Decision.RequireApproval decision) {
        Instant now = clock.instant();
        Duration timeout = decision.timeout() != null ? decision.timeout() : config.defaultTimeout();
        ApprovalRequest request = new ApprovalRequest(
                newId(),
                new Requester(identity.issuer(), identity.subject(), shownClaims(identity)),
                session.target(),
                null,
                "CONNECT (a session on target " + session.target()
                        + (session.database() == null ? "" : ", starting in database " + session.database()) + ")",
                null,
                decision.reason(),
                decision.decisionId().orElse(null),
                now,
                now.plus(timeout),
                decision.approvers(),
                decision.minApprovals(),
                ApprovalMode.TICKET,
                ApprovalStrength.of(decision.strength()),
                decision.channel(),
                null,
                decision.grantUses() != null ? decision.grantUses() : config.grantUses(),
                decision.grantWindow() != null ? decision.grantWindow() : config.grantWindow());
        return new Made(request, new HeldBy(session.gatewayInstance(), session.sessionId(), LOGIN_GRANT));
    }

    private Map<String, Object> shownClaims(Identity identity) {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (String claim : config.requesterClaims()) {
            Object value = identity.claims().get(claim);
            if (value != null) {
                shown.put(claim, value);
            }
        }
        return shown;
    }

    /** {@code apr-} and 16 random hex digits: unguessable, so knowing a link is no way to find other requests. */
    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "apr-" + HexFormat.of().formatHex(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
