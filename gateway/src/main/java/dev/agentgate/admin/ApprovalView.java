package dev.agentgate.admin;

import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.Vote;
import java.util.List;
import java.util.Map;

/** What the admin API shows of an approval request: the request, where it stands, the votes so far. */
record ApprovalView(
        String id,
        String state,
        String requesterIssuer,
        String requesterSubject,
        Map<String, Object> requesterClaims,
        String target,
        String database,
        String statement,
        String reason,
        String requestedAt,
        String expiresAt,
        List<String> approvers,
        int minApprovals,
        int approvalsMissing,
        String mode,
        String strength,
        Long estimatedRows,
        List<VoteView> votes) {

    record VoteView(String approver, String via, String verdict, String at, String from) {
        static VoteView of(Vote vote) {
            return new VoteView(
                    vote.approver().name(),
                    vote.approver().via().jsonName(),
                    vote.verdict().jsonName(),
                    vote.at().toString(),
                    vote.fromAddress());
        }
    }

    static ApprovalView of(ApprovalRecord record) {
        ApprovalRequest request = record.request();
        return new ApprovalView(
                request.id(),
                record.state().jsonName(),
                request.requester().issuer(),
                request.requester().subject(),
                request.requester().claims(),
                request.target(),
                request.database(),
                request.statement(),
                request.reason(),
                request.requestedAt().toString(),
                request.expiresAt().toString(),
                request.approvers(),
                request.minApprovals(),
                record.approvalsMissing(),
                request.mode().jsonName(),
                request.strength().jsonName(),
                request.estimatedRows(),
                record.votes().stream().map(VoteView::of).toList());
    }
}
