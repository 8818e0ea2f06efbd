package dev.agentgate.approval.slack;

import com.google.gson.Gson;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.Payload;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts Slack messages (SDK models, written as the SDK's snake-case JSON) to an incoming webhook or an
 * interaction's {@code response_url} with OkHttp's
 * asynchronous calls, retrying connection failures, 429 and 5xx answers with exponential backoff. Other 4xx
 * answers (a revoked webhook, a malformed message) fail at once: repeating them cannot help. Nothing here runs
 * on the caller's thread beyond enqueueing the call.
 */
public final class SlackPoster implements AutoCloseable {
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final Gson SLACK_JSON = GsonFactory.createSnakeCase();

    private final OkHttpClient http;
    private final RetryConfig retryConfig;
    private final ScheduledExecutorService backoffTimer;

    /**
     * @param attempts how many times one message is tried in all ({@code approval.slack.max_attempts})
     * @param firstBackoff the wait before the second attempt; each later wait doubles
     */
    public SlackPoster(OkHttpClient http, int attempts, Duration firstBackoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("approval.slack.max_attempts must be at least 1, was " + attempts);
        }
        this.http = http;
        this.retryConfig = RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(firstBackoff, 2.0))
                .retryOnException(SlackPoster::worthRetrying)
                .failAfterMaxAttempts(true)
                .build();
        this.backoffTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slack-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes once Slack answered 2xx; exceptionally with {@link SlackPostException} after the last try. */
    public CompletableFuture<Void> post(HttpUrl webhook, Payload message) {
        return postJson(webhook, SLACK_JSON.toJson(message));
    }

    /** The same, for an answer through an interaction's {@code response_url}. */
    public CompletableFuture<Void> post(HttpUrl responseUrl, ActionResponse message) {
        return postJson(responseUrl, SLACK_JSON.toJson(message));
    }

    private CompletableFuture<Void> postJson(HttpUrl url, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Retry retry = Retry.of("slack-post", retryConfig);
        return Retry.decorateCompletionStage(retry, backoffTimer, () -> once(url, body))
                .get()
                .toCompletableFuture();
    }

    private CompletableFuture<Void> once(HttpUrl url, byte[] body) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body, JSON_TYPE))
                .build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(new SlackPostException(0, "Slack unreachable: " + e.getMessage(), e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    if (response.isSuccessful()) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(
                                new SlackPostException(response.code(), "Slack answered " + response.code(), null));
                    }
                }
            }
        });
        return result;
    }

    private static boolean worthRetrying(Throwable failure) {
        if (failure instanceof SlackPostException post) {
            return post.status() == 0 || post.status() == 429 || post.status() >= 500;
        }
        return false;
    }

    @Override
    public void close() {
        backoffTimer.shutdownNow();
    }

    /** A message Slack did not take; {@code status} is 0 when no HTTP answer came. */
    public static final class SlackPostException extends RuntimeException {
        private final int status;

        SlackPostException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
