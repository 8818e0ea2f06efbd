package dev.agentgate.approval;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a request ended: approved, denied, expired or cancelled, with the votes that led there.
 *
 * @param votes every vote cast, in order
 */
public record ApprovalOutcome(String requestId, ApprovalState state, Instant decidedAt, List<Vote> votes) {
    public ApprovalOutcome {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(decidedAt, "decidedAt");
        if (!state.isFinal()) {
            throw new IllegalArgumentException("an outcome is a final state, not " + state);
        }
        votes = List.copyOf(votes);
    }

    /** Who denied it (the first deny wins), or null. */
    public Approver denier() {
        return votes.stream()
                .filter(v -> v.verdict() == Verdict.DENY)
                .map(Vote::approver)
                .findFirst()
                .orElse(null);
    }

    /** Who approved it, in the order they voted. */
    public List<Approver> approvers() {
        return votes.stream()
                .filter(v -> v.verdict() == Verdict.APPROVE)
                .map(Vote::approver)
                .toList();
    }
}
