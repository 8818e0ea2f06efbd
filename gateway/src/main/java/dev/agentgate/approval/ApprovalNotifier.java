package dev.agentgate.approval;

import java.util.concurrent.CompletableFuture;

/**
 * Tells people that a request waits for them (Slack, a webhook, the log). Implementations must not block the
 * caller: they do their I/O on their own threads.
 */
public interface ApprovalNotifier {

    /**
     * A new request was stored. The future completes once the message was delivered; completing it exceptionally
     * means nobody was told, and the gateway refuses the statement at once (fail closed) and cancels the request.
     */
    CompletableFuture<Void> requested(ApprovalRequest request, ApprovalLinks links);

    /** The request was decided, expired or cancelled; for updating the message. Failures are only logged. */
    void decided(ApprovalRequest request, ApprovalOutcome outcome);
}
