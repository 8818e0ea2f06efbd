package dev.agentgate.approval;

import dev.agentgate.analysis.StatementFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A statement waiting for people to allow it, as approvers see it. Immutable; its state and votes live in the
 * state database ({@link ApprovalRecord}).
 *
 * @param id the request id clients and approvers quote, e.g. {@code apr-3f9c2a71d04e}
 * @param database the session's current database, null when none
 * @param statement the statement text as approvers see it: with its literals replaced by {@code ?} when the
 *     decision carries masks (the digest), else as sent
 * @param facts the statement's facts as the policy saw them
 * @param decisionId OPA's decision id, null when unknown
 * @param approvers who may approve: {@code subject}, {@code group:<name>} or {@code slack:<user group id>}
 *     entries;
 *     empty to let anyone on the channel approve
 * @param channel where the request is sent, e.g. {@code slack:#db-approvals}; null for the configured default
 * @param estimatedRows rows an UPDATE or DELETE would change, counted before asking; null when not counted
 * @param grantUses how many times the approved statement may run
 * @param grantWindow how long after approval it may run
 */
public record ApprovalRequest(
        String id,
        Requester requester,
        String target,
        String database,
        String statement,
        StatementFacts facts,
        String reason,
        String decisionId,
        Instant requestedAt,
        Instant expiresAt,
        List<String> approvers,
        int minApprovals,
        ApprovalMode mode,
        ApprovalStrength strength,
        String channel,
        Long estimatedRows,
        int grantUses,
        Duration grantWindow) {

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(strength, "strength");
        Objects.requireNonNull(grantWindow, "grantWindow");
        approvers = List.copyOf(approvers);
        if (minApprovals < 1) {
            throw new IllegalArgumentException("min_approvals must be at least 1, was " + minApprovals);
        }
        if (grantUses < 1) {
            throw new IllegalArgumentException("grant_uses must be at least 1, was " + grantUses);
        }
    }

    /** How long the request stays open from when it was made. */
    public Duration timeout() {
        return Duration.between(requestedAt, expiresAt);
    }
}
