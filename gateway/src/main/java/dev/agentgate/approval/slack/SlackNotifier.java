package dev.agentgate.approval.slack;

import com.slack.api.webhook.Payload;
import dev.agentgate.approval.ApprovalLinks;
import dev.agentgate.approval.ApprovalNotifier;
import dev.agentgate.approval.ApprovalOutcome;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.page.SignedLinks;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells approvers on Slack: posts the request's message to the incoming webhook ({@code approval.slack.webhook_url})
 * and, once decided, replaces it through the last click's {@code response_url} (else posts the outcome as a new
 * message). The request's future fails when Slack did not take the message after the retries, so the gateway
 * refuses the statement rather than waiting for a decision nobody was asked for.
 */
public final class SlackNotifier implements ApprovalNotifier {
    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);

    private final HttpUrl webhook;
    private final SlackPoster poster;
    private final Optional<SignedLinks> links;
    private final ResponseUrls responseUrls = new ResponseUrls();

    /** @param links the approval page's signed links; empty when the page is not configured */
    public SlackNotifier(URI webhook, SlackPoster poster, Optional<SignedLinks> links) {
        this.webhook = HttpUrl.get(webhook);
        this.poster = poster;
        this.links = links;
    }

    @Override
    public CompletableFuture<Void> requested(ApprovalRequest request, ApprovalLinks ignoredUnsignedLinks) {
        URI link = links.map(signed -> signed.linkFor(request.id(), request.expiresAt()))
                .orElse(null);
        return poster.post(webhook, SlackMessages.question(request, link)).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("approval request {}: Slack did not take the message: {}", request.id(), failure.toString());
            }
        });
    }

    @Override
    public void decided(ApprovalRequest request, ApprovalOutcome outcome) {
        Payload message = SlackMessages.outcome(request, outcome);
        Optional<HttpUrl> responseUrl = responseUrls.take(request.id());
        CompletableFuture<Void> posted = responseUrl
                .map(url -> poster.post(url, SlackMessages.replacing(message)))
                .orElseGet(() -> poster.post(webhook, message));
        posted.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn(
                        "approval request {}: the outcome could not be posted to Slack: {}",
                        request.id(),
                        failure.toString());
            }
        });
    }

    /** The message of {@code requestId} was clicked: its outcome will replace it through {@code responseUrl}. */
    void clickedFrom(String requestId, HttpUrl responseUrl) {
        responseUrls.remember(requestId, responseUrl);
    }

    /** A private note to the person who clicked (why their click did not count). */
    void tellClicker(HttpUrl responseUrl, String text) {
        poster.post(responseUrl, SlackMessages.privateNote(text)).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.debug("cannot reply to a Slack click: {}", failure.toString());
            }
        });
    }
}
