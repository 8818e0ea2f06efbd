package dev.agentgate.admin;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.agentgate.policy.DecisionCache;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Map;

/** Which metrics {@code /metrics} exposes and where each comes from. */
final class GatewayMetrics {
    private GatewayMetrics() {}

    static AdminResponse page(GatewayStatus status) {
        PrometheusText text = new PrometheusText()
                .gauge(
                        "agentgate_connections_open",
                        "Client connections holding a place under listen.max_connections, logged in or not.",
                        status.registry().reservedCount())
                .gauge(
                        "agentgate_sessions_open",
                        "Logged-in client sessions.",
                        status.registry().sessions().size())
                .counter(
                        "agentgate_connections_refused_max_total",
                        "Client connections refused because listen.max_connections was reached.",
                        status.counters().connectionsRefusedAtMax())
                .counter(
                        "agentgate_connections_refused_handshakes_total",
                        "Client connections refused because listen.max_handshakes or max_handshakes_per_address was reached.",
                        status.counters().connectionsRefusedAtHandshakeLimit())
                .counter(
                        "agentgate_logins_accepted_total",
                        "Client logins that completed.",
                        status.counters().loginsAccepted())
                .counter(
                        "agentgate_logins_refused_total",
                        "Client logins refused with access denied.",
                        status.counters().loginsRefused())
                .counter(
                        "agentgate_issuer_stale_keys_served_total",
                        "Times an issuer's JWKS could not be fetched and its last known keys (identity.keys_outage_tolerance) were used.",
                        status.counters().staleIssuerKeysServedCount());
        status.opaCircuitState()
                .ifPresent(state -> text.stateSet(
                        "agentgate_opa_circuit_breaker_state",
                        "State of the circuit breaker in front of OPA (open: every statement is denied).",
                        "state",
                        List.of(CircuitBreaker.State.values()),
                        state));
        status.decisionCache().ifPresent(cache -> decisionCache(text, cache));
        status.decisionTimes()
                .ifPresent(times -> text.histogram(
                        "agentgate_policy_decision_duration_seconds",
                        "Time from a command reaching the policy gate to its verdict: cache look-up, analysis, OPA, lineage.",
                        times));
        return new AdminResponse(200, AdminResponse.PROMETHEUS_TEXT, text.toString(), Map.of());
    }

    private static void decisionCache(PrometheusText text, DecisionCache cache) {
        CacheStats stats = cache.stats();
        text.counter(
                        "agentgate_decision_cache_hits_total",
                        "Decision cache lookups that found a decision.",
                        stats.hitCount())
                .counter(
                        "agentgate_decision_cache_misses_total",
                        "Decision cache lookups that found none.",
                        stats.missCount())
                .gauge("agentgate_decision_cache_entries", "Decisions currently cached (estimate).", cache.size());
    }
}
