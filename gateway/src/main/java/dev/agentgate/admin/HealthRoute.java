package dev.agentgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /health/live} and {@code /health/ready}, what orchestrators probe. Liveness asks only whether the process can
 * still do work (its event loops run a task); readiness whether it should get clients: not while shutting down, and
 * only when every dependency answers (OPA with an active bundle, the state database, the recording store). All checks
 * run at once, each bounded by {@link #PROBE_TIMEOUT}: a dependency that hangs makes the gateway unready, never the
 * probe hang.
 */
public final class HealthRoute implements AdminRoute {
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    /** Below the usual probe timeout of orchestrators (Kubernetes: 1 s default, charts set more). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long one probe may take before its dependency counts as not answering. */
    public static Duration probeTimeout() {
        return PROBE_TIMEOUT;
    }

    private final GatewayStatus status;
    private final List<ReadinessCheck> liveness;
    private final List<ReadinessCheck> readiness;

    public HealthRoute(GatewayStatus status, List<ReadinessCheck> liveness, List<ReadinessCheck> readiness) {
        this.status = status;
        this.liveness = List.copyOf(liveness);
        this.readiness = List.copyOf(readiness);
    }

    @Override
    public boolean serves(String path) {
        return LIVE.equals(path) || READY.equals(path);
    }

    @Override
    public boolean checksCredentials() {
        return false;
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        if (!"GET".equals(request.method())) {
            return CompletableFuture.completedFuture(new AdminResponse(
                    405, AdminResponse.JSON, "{\"error\":\"only GET is allowed\"}", Map.of("Allow", "GET")));
        }
        if (LIVE.equals(request.path())) {
            return answer(liveness, "live", null);
        }
        return answer(readiness, "ready", status.accepting() ? null : "shutting down");
    }

    private CompletableFuture<AdminResponse> answer(List<ReadinessCheck> checks, String okStatus, String refusal) {
        Map<String, CompletableFuture<Map<String, Object>>> results = new LinkedHashMap<>();
        for (ReadinessCheck check : checks) {
            results.put(check.name(), outcome(check));
        }
        return CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new))
                .thenApply(all -> {
                    Map<String, Object> document = new LinkedHashMap<>();
                    Map<String, Object> byName = new LinkedHashMap<>();
                    boolean ok = refusal == null;
                    for (Map.Entry<String, CompletableFuture<Map<String, Object>>> result : results.entrySet()) {
                        Map<String, Object> one = result.getValue().join();
                        ok &= Boolean.TRUE.equals(one.get("ok"));
                        byName.put(result.getKey(), one);
                    }
                    document.put("status", ok ? okStatus : "not_" + okStatus);
                    if (refusal != null) {
                        document.put("reason", refusal);
                    }
                    document.put("checks", byName);
                    return AdminResponse.json(ok ? 200 : 503, json(document));
                });
    }

    private static CompletableFuture<Map<String, Object>> outcome(ReadinessCheck check) {
        return check.run()
                .orTimeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((detail, failure) -> failure == null
                        ? Map.<String, Object>of("ok", true, "detail", detail)
                        : Map.<String, Object>of("ok", false, "detail", reason(failure)));
    }

    private static String reason(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no answer within " + PROBE_TIMEOUT.toMillis() + " ms";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health document", e);
        }
    }
}
