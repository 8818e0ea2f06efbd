package dev.agentgate.approval;

import java.util.Objects;

/** What became of one approver's vote. */
public sealed interface DecideResult {

    /** The approval was counted; the request still needs {@code missing} more from other approvers. */
    record Counted(ApprovalRecord record, int missing) implements DecideResult {}

    /** This vote decided the request (an approval that completed the count, or a deny). */
    record Decided(ApprovalRecord record, ApprovalOutcome outcome) implements DecideResult {}

    /**
     * The vote does not count, and {@code reason} says why (own request, not an approver, already voted, already
     * decided, expired, unknown id, too weak a sign-in, state database unreachable).
     */
    record Refused(Reason code, String reason) implements DecideResult {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a vote was refused, for channels that map it to their own status (HTTP 403/404/409/503). */
    enum Reason {
        UNKNOWN_REQUEST,
        OWN_REQUEST,
        NOT_AN_APPROVER,
        TOO_WEAK,
        ALREADY_VOTED,
        ALREADY_DECIDED,
        EXPIRED,
        UNAVAILABLE
    }
}
