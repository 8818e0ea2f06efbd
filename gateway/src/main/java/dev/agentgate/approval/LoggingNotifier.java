package dev.agentgate.approval;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier when no other is configured: approvers learn of requests from the gateway log and decide them
 * through the admin API.
 */
public final class LoggingNotifier implements ApprovalNotifier {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotifier.class);

    @Override
    public CompletableFuture<Void> requested(ApprovalRequest request, ApprovalLinks links) {
        log.info(
                "approval requested: {} by {}|{} on {} ({}), {} approval(s) needed, open until {}{}: {}",
                request.id(),
                request.requester().issuer(),
                request.requester().subject(),
                request.target(),
                request.reason(),
                request.minApprovals(),
                request.expiresAt(),
                links.page() == null ? "" : " at " + links.page(),
                request.statement());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void decided(ApprovalRequest request, ApprovalOutcome outcome) {
        log.info("approval request {} {}", request.id(), outcome.state().jsonName());
    }
}
