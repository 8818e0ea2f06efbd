package dev.agentgate.approval;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What approvers do with requests, whatever channel they come through (Slack, the approval page, the admin API).
 * Every method does its database work off the caller's thread and completes on an arbitrary thread; a failure
 * of the state database completes the future exceptionally for lookups, and as {@link DecideResult.Refused} with
 * {@link DecideResult.Reason#UNAVAILABLE} for votes.
 */
public interface ApprovalDecisions {

    CompletableFuture<Optional<ApprovalRecord>> find(String requestId);

    /** The requests still open, oldest first. */
    CompletableFuture<List<ApprovalRecord>> pending();

    /** Decided requests, newest first, at most {@code limit}. */
    CompletableFuture<List<ApprovalRecord>> history(int limit);

    /**
     * Casts one vote. The rules: never on one's own request; only listed approvers (subject or group) when the
     * request lists any; each approver counts once; one deny decides; a request decides once, however many
     * gateways share the state database.
     *
     * @param fromAddress where the vote came from (client address, or {@code slack:<team>/<user>})
     */
    CompletableFuture<DecideResult> decide(String requestId, Approver approver, Verdict verdict, String fromAddress);
}
