package dev.agentgate.approval;

import java.util.List;
import java.util.Objects;

/**
 * A request with where it stands now: what approvers list and look up.
 *
 * @param outcome how it ended; null while pending
 * @param votes the votes cast so far, in order
 */
public record ApprovalRecord(ApprovalRequest request, ApprovalState state, ApprovalOutcome outcome, List<Vote> votes) {
    public ApprovalRecord {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        votes = List.copyOf(votes);
    }

    /** Approvals still needed before the request is approved; 0 once it is. */
    public int approvalsMissing() {
        long approvals =
                votes.stream().filter(v -> v.verdict() == Verdict.APPROVE).count();
        return (int) Math.max(0, request.minApprovals() - approvals);
    }
}
