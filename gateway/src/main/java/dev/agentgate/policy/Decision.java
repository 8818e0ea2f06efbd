package dev.agentgate.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy decided for one statement. Sealed so that every consumer handles every case;
 * every failure to get a decision is a {@link Deny}, never an exception (fail closed).
 */
public sealed interface Decision {

    /** Human-readable reason from the policy (or from the gateway when it had to decide itself). */
    String reason();

    /** OPA's decision id, for correlating gateway logs and recordings with OPA's decision log. */
    Optional<String> decisionId();

    /** Whether and how this decision may be reused. */
    Caching caching();

    /** The action as the policy contract names it: {@code allow}, {@code deny}, {@code mask} or {@code require_approval}. */
    default String action() {
        if (this instanceof Allow) {
            return "allow";
        } else if (this instanceof Mask) {
            return "mask";
        } else if (this instanceof RequireApproval) {
            return "require_approval";
        }
        return "deny";
    }

    /**
     * Limits the policy attaches to an allowed statement, or (the decision of command type {@code connect}) to an
     * admitted session.
     *
     * @param maxSession connect only: the session ends this long after it started
     * @param idleTimeout connect only: the session ends after the client sent nothing for this long
     */
    record Obligations(
            Optional<Long> maxRows,
            Optional<Duration> statementTimeout,
            Optional<Duration> maxSession,
            Optional<Duration> idleTimeout) {
        public static final Obligations NONE = new Obligations(Optional.empty(), Optional.empty());

        /** Obligations of a statement, without session limits. */
        public Obligations(Optional<Long> maxRows, Optional<Duration> statementTimeout) {
            this(maxRows, statementTimeout, Optional.empty(), Optional.empty());
        }

        public Obligations {
            Objects.requireNonNull(maxRows, "maxRows");
            Objects.requireNonNull(statementTimeout, "statementTimeout");
            Objects.requireNonNull(maxSession, "maxSession");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }
    }

    /** How the decision may be reused without asking OPA again. */
    record Caching(Duration ttl, boolean byDigest, boolean reaskOnExecute) {
        public static final Caching NEVER = new Caching(Duration.ZERO, false, false);

        public boolean cacheable() {
            return !ttl.isZero() && !ttl.isNegative();
        }
    }

    record Allow(String reason, Optional<String> decisionId, Obligations obligations, Caching caching)
            implements Decision {
        public Allow {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(obligations, "obligations");
            Objects.requireNonNull(caching, "caching");
        }
    }

    record Deny(String reason, Optional<String> decisionId, Caching caching) implements Decision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(caching, "caching");
        }

        /** A deny the gateway reaches on its own, because no valid decision could be had. */
        public static Deny failClosed(PolicyFailure failure, String detail) {
            return new Deny(failure.describe(detail), Optional.empty(), Caching.NEVER);
        }
    }

    /**
     * @param masks source-column pattern ({@code schema.table.column}, {@code *} wildcards) to masking
     *     strategy
     * @param askWithLineage when the statement is asked about again with its column lineage
     */
    record Mask(
            String reason,
            Optional<String> decisionId,
            Map<String, MaskRule> masks,
            Obligations obligations,
            Caching caching,
            LineageAsk askWithLineage)
            implements Decision {
        public Mask {
            masks = Map.copyOf(masks);
            Objects.requireNonNull(askWithLineage, "askWithLineage");
        }

        /** A mask decision that is always asked about again with the lineage (the contract's default). */
        public Mask(
                String reason,
                Optional<String> decisionId,
                Map<String, MaskRule> masks,
                Obligations obligations,
                Caching caching) {
            this(reason, decisionId, masks, obligations, caching, LineageAsk.ALWAYS);
        }
    }

    /** The decision field {@code ask_with_lineage}: whether a mask decision needs the question with lineage. */
    enum LineageAsk {
        /** Every masked statement is asked about again with its lineage; that answer is final. */
        ALWAYS,
        /**
         * Only a statement whose lineage lists masked uses is asked again: the policy declares that for any other
         * lineage its answer would be this one.
         */
        IF_MASKED_USES
    }

    record MaskRule(String strategy, Map<String, Object> params) {
        public MaskRule {
            Objects.requireNonNull(strategy, "strategy");
            params = Map.copyOf(params);
        }
    }

    /**
     * The statement may run only once people approve it.
     *
     * @param approvers who may approve: a subject or a group (the {@code groups} claim, or a Slack user group as
     *     {@code slack:<id>}), optionally prefixed {@code user:} or {@code group:}; empty for anyone on the channel
     * @param channel where to ask, e.g. {@code slack:#db-approvals}; null for the default
     * @param timeout how long the request stays open; null for the gateway's {@code approval.default_timeout}
     * @param mode {@code hold} or {@code ticket}; null for the gateway's {@code approval.default_mode}
     * @param minApprovals how many distinct approvers must approve
     * @param strength {@code any} or {@code sso}: how approvers must have signed in
     * @param grantUses how often the approved statement may run; null for {@code approval.grant_uses}
     * @param grantWindow how long after approval it may run; null for {@code approval.grant_window}
     * @param masks columns whose literals approvers must not see (the statement is shown as its digest)
     */
    record RequireApproval(
            String reason,
            Optional<String> decisionId,
            List<String> approvers,
            String channel,
            Duration timeout,
            Caching caching,
            String mode,
            int minApprovals,
            String strength,
            Integer grantUses,
            Duration grantWindow,
            Map<String, MaskRule> masks)
            implements Decision {
        public RequireApproval {
            Objects.requireNonNull(reason, "reason");
            approvers = List.copyOf(approvers);
            Objects.requireNonNull(caching, "caching");
            Objects.requireNonNull(strength, "strength");
            masks = Map.copyOf(masks);
            if (minApprovals < 1) {
                throw new IllegalArgumentException("min_approvals must be at least 1");
            }
        }

        /** One approval of anyone listed, in the gateway's default mode, without masks. */
        public RequireApproval(
                String reason,
                Optional<String> decisionId,
                List<String> approvers,
                String channel,
                Duration timeout,
                Caching caching) {
            this(reason, decisionId, approvers, channel, timeout, caching, null, 1, "any", null, null, Map.of());
        }
    }
}
