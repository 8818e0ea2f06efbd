package dev.agentgate.approval.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The {@code response_url} of the last click on each request's message, so its outcome replaces the message
 * with the buttons. Slack honours a response URL for 30 minutes; after that (or on another gateway) the outcome
 * is posted as a new message instead.
 */
final class ResponseUrls {
    private static final Duration SLACK_VALIDITY = Duration.ofMinutes(30);

    private final Cache<String, HttpUrl> byRequest = Caffeine.newBuilder()
            .expireAfterWrite(SLACK_VALIDITY)
            .maximumSize(10_000)
            .build();

    void remember(String requestId, HttpUrl responseUrl) {
        byRequest.put(requestId, responseUrl);
    }

    Optional<HttpUrl> take(String requestId) {
        return Optional.ofNullable(byRequest.asMap().remove(requestId));
    }
}
