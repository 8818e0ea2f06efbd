package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Whether OPA can decide statements as a fleet expects: it answers {@code GET /health?bundles} with 200 (every
 * configured bundle activated) and {@code data.system.bundles} names at least one active bundle. An OPA that serves
 * loose policy files, or whose bundle server never delivered, is not ready: its decisions would not be the fleet's
 * policy. Its own HTTP client, so a probe never waits behind statements' decisions.
 */
public final class OpaBundleProbe implements AutoCloseable {

    private final HttpUrl health;
    private final HttpUrl bundles;
    private final OkHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public OpaBundleProbe(URI opaUrl, Duration timeout) {
        HttpUrl base = HttpUrl.get(opaUrl.toString());
        this.health = base.newBuilder()
                .addPathSegment("health")
                .addQueryParameter("bundles", null)
                .build();
        this.bundles =
                base.newBuilder().addPathSegments("v1/data/system/bundles").build();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .callTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Completes with the active bundles and their revisions, or fails saying why OPA is not ready. */
    public CompletableFuture<String> probe() {
        return get(health).thenCompose(ignored -> get(bundles)).thenApply(this::activeBundles);
    }

    private String activeBundles(String body) {
        JsonNode result;
        try {
            result = mapper.readTree(body).path("result");
        } catch (IOException e) {
            throw new IllegalStateException("OPA answered data.system.bundles with something that is not JSON");
        }
        List<String> active = new ArrayList<>();
        for (Map.Entry<String, JsonNode> bundle : result.properties()) {
            String revision =
                    bundle.getValue().path("manifest").path("revision").asText("");
            active.add(bundle.getKey() + (revision.isEmpty() ? "" : " (revision " + revision + ")"));
        }
        if (active.isEmpty()) {
            throw new IllegalStateException("OPA has no active bundle (policy loaded from files, or not yet"
                    + " downloaded from the bundle server)");
        }
        return "active bundles: " + String.join(", ", active);
    }

    private CompletableFuture<String> get(HttpUrl url) {
        CompletableFuture<String> body = new CompletableFuture<>();
        http.newCall(new Request.Builder().url(url).get().build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                body.completeExceptionally(new IOException("OPA at " + url.resolve("/") + " unreachable: " + e, e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    String text = response.body().string();
                    if (response.isSuccessful()) {
                        body.complete(text);
                    } else {
                        body.completeExceptionally(new IOException("OPA answered " + url.encodedPath() + " with HTTP "
                                + response.code() + ": " + abbreviate(text)));
                    }
                } catch (IOException | RuntimeException e) {
                    body.completeExceptionally(e);
                }
            }
        });
        return body;
    }

    private static String abbreviate(String text) {
        String line = text.strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
