package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an OPA sidecar through its Data API ({@code POST /v1/data/<path>}). A call first waits its turn in the
 * {@link AdmissionQueue} (at most {@code max_concurrent} in flight; a burst waits, each call up to {@code timeout});
 * only then does it pass the circuit breaker and the time limit, so only OPA's own failures (errors, time-outs)
 * can open the circuit, never the gateway's own queue. Every way this can go wrong ends in a deny naming its cause.
 */
public final class OpaClient implements PolicyEngine {

    private static final Logger log = LoggerFactory.getLogger(OpaClient.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final OpaSettings settings;
    /** Parsed once: parsing the URL (host name checks included) for every request was a measurable share of it. */
    private final HttpUrl decisionUrl;

    private final ObjectMapper mapper;
    private final OkHttpClient http;
    private final ScheduledExecutorService timer;
    /** Calls that may wait for their turn at once: beyond it a burst is refused at once (bounded memory). */
    private static final int MAX_WAITING = 10_000;

    private final AdmissionQueue admission;
    private final TimeLimiter timeLimiter;
    private final CircuitBreaker circuitBreaker;
    private final DecisionParser parser = new DecisionParser();
    private final OpaCalls calls = new OpaCalls();
    private volatile String policyRevision;

    public OpaClient(OpaSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        // provenance=true: every answer names the bundle revision it was decided by (recorded with each decision)
        this.decisionUrl = HttpUrl.get(settings.decisionUri().toString())
                .newBuilder()
                .addQueryParameter("provenance", "true")
                .build();
        this.mapper = mapper;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(settings.maxConcurrent());
        dispatcher.setMaxRequestsPerHost(settings.maxConcurrent());
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.min(settings.maxConcurrent(), 32), 5, TimeUnit.MINUTES))
                .connectTimeout(settings.timeout())
                .callTimeout(settings.timeout().multipliedBy(4))
                .retryOnConnectionFailure(false)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "opa-time-limiter");
            thread.setDaemon(true);
            return thread;
        });
        this.admission = new AdmissionQueue(settings.maxConcurrent(), MAX_WAITING, timer);
        this.timeLimiter = TimeLimiter.of(
                "opa",
                TimeLimiterConfig.custom()
                        .timeoutDuration(settings.timeout())
                        .cancelRunningFuture(true)
                        .build());
        this.circuitBreaker = CircuitBreaker.of(
                "opa",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(settings.circuitOpenFor())
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build());
    }

    @Override
    public CompletableFuture<Decision> decide(JsonNode input) {
        Supplier<CompletionStage<JsonNode>> guarded = CircuitBreaker.decorateCompletionStage(
                circuitBreaker, () -> timeLimiter.executeCompletionStage(timer, () -> post(input)));
        CompletableFuture<Decision> decision = new CompletableFuture<>();
        admission.admit(settings.timeout()).whenComplete((admitted, overloaded) -> {
            if (overloaded != null) {
                decision.complete(failed(overloaded));
                return;
            }
            CompletionStage<JsonNode> stage;
            try {
                stage = guarded.get();
            } catch (RuntimeException rejected) {
                admission.release();
                decision.complete(failed(rejected));
                return;
            }
            stage.whenComplete((body, error) -> {
                admission.release();
                decision.complete(error == null ? toDecision(body) : failed(error));
            });
        });
        return decision;
    }

    private CompletableFuture<JsonNode> post(JsonNode input) {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.set("input", input);
        Request request;
        try {
            request = new Request.Builder()
                    .url(decisionUrl)
                    .post(RequestBody.create(mapper.writeValueAsBytes(envelope), JSON))
                    .build();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Call call = http.newCall(request);
        long sent = System.nanoTime();
        CompletableFuture<JsonNode> body = new CompletableFuture<>();
        body.whenComplete((ignored, error) -> {
            if (body.isCancelled()) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                body.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                calls.answered(System.nanoTime() - sent);
                try (response) {
                    if (!response.isSuccessful()) {
                        body.completeExceptionally(new IOException("HTTP " + response.code() + " from OPA: "
                                + abbreviate(response.body().string())));
                        return;
                    }
                    body.complete(mapper.readTree(response.body().byteStream()));
                } catch (IOException | RuntimeException e) {
                    body.completeExceptionally(e);
                }
            }
        });
        return body;
    }

    private Decision toDecision(JsonNode body) {
        policyRevision = BundleRevisions.of(body);
        Optional<String> decisionId =
                Optional.ofNullable(body.path("decision_id").textValue());
        JsonNode result = body.get("result");
        if (result == null) {
            calls.failed(PolicyFailure.UNDEFINED);
            return new Decision.Deny(
                    PolicyFailure.UNDEFINED.describe(
                            "data." + settings.decisionPath().replace('/', '.') + " is undefined for this input"),
                    decisionId,
                    Decision.Caching.NEVER);
        }
        return parser.parse(result, decisionId, () -> calls.failed(PolicyFailure.INVALID));
    }

    private Decision failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        PolicyFailure failure =
                cause instanceof TimeoutException || cause instanceof java.util.concurrent.CancellationException
                        ? PolicyFailure.TIMEOUT
                        : cause instanceof AdmissionQueue.Overloaded
                                ? PolicyFailure.OVERLOADED
                                : cause instanceof CallNotPermittedException
                                        ? PolicyFailure.CIRCUIT_OPEN
                                        : PolicyFailure.UNAVAILABLE;
        calls.failed(failure);
        log.warn("no policy decision ({}): {}", failure, cause.toString());
        return Decision.Deny.failClosed(failure, failure == PolicyFailure.OVERLOADED ? cause.getMessage() : null);
    }

    /** What the calls so far did, for the metrics. */
    public OpaCalls calls() {
        return calls;
    }

    @Override
    public String policyRevision() {
        return policyRevision;
    }

    /** The circuit breaker's current state, for operators (read-only). */
    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
