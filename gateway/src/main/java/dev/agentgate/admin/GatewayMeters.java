package dev.agentgate.admin;

import dev.agentgate.policy.DecisionCache;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's meters in one Micrometer registry scraped as Prometheus text by {@code /metrics}: connection and
 * login counts, the OPA circuit breaker, the decision cache and decision times (read from the structures that keep
 * them, so the data path pays nothing extra), what every session does ({@link SessionMetrics}, fed by the session
 * event seam) and the JVM's own.
 */
public final class GatewayMeters {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SessionMetrics sessions = new SessionMetrics(registry);

    GatewayMeters(GatewayStatus status) {
        Gauge.builder("agentgate.connections.open", status.registry(), r -> r.reservedCount())
                .description("Client connections holding a place under listen.max_connections, logged in or not.")
                .register(registry);
        Gauge.builder(
                        "agentgate.sessions.open",
                        status.registry(),
                        r -> r.sessions().size())
                .description("Logged-in client sessions.")
                .register(registry);
        GatewayCounters counters = status.counters();
        count(
                "agentgate.connections.refused.max",
                counters,
                GatewayCounters::connectionsRefusedAtMax,
                "Client connections refused because listen.max_connections was reached.");
        count(
                "agentgate.connections.refused.handshakes",
                counters,
                GatewayCounters::connectionsRefusedAtHandshakeLimit,
                "Client connections refused because listen.max_handshakes or max_handshakes_per_address was reached.");
        count("agentgate.logins.accepted", counters, GatewayCounters::loginsAccepted, "Client logins that completed.");
        count(
                "agentgate.logins.refused",
                counters,
                GatewayCounters::loginsRefused,
                "Client logins refused with access denied.");
        count(
                "agentgate.issuer.stale.keys.served",
                counters,
                GatewayCounters::staleIssuerKeysServedCount,
                "Times an issuer's JWKS could not be fetched and its last known keys"
                        + " (identity.keys_outage_tolerance) were used.");
        status.opaCircuitState().ifPresent(initial -> circuitBreaker(status));
        status.decisionCache().ifPresent(first -> decisionCache(status));
        status.decisionTimes()
                .ifPresent(first -> registry.getPrometheusRegistry().register(new DecisionTimesCollector(status)));
        OperationsMeters.register(registry, status, java.time.Clock.systemUTC());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private <T> void count(String name, T source, java.util.function.ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    /** A state set: one gauge per state, 1 for the current one. */
    private void circuitBreaker(GatewayStatus status) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder(
                            "agentgate.opa.circuit.breaker.state",
                            status,
                            s -> s.opaCircuitState().orElse(null) == state ? 1 : 0)
                    .description("State of the circuit breaker in front of OPA (open: every statement is denied).")
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    /** Read through the status at every scrape: a configuration reload may replace the cache. */
    private void decisionCache(GatewayStatus status) {
        count(
                "agentgate.decision.cache.hits",
                status,
                s -> s.decisionCache().map(c -> c.stats().hitCount()).orElse(0L),
                "Decision cache lookups that found a decision.");
        count(
                "agentgate.decision.cache.misses",
                status,
                s -> s.decisionCache().map(c -> c.stats().missCount()).orElse(0L),
                "Decision cache lookups that found none.");
        Gauge.builder(
                        "agentgate.decision.cache.entries",
                        status,
                        s -> s.decisionCache().map(DecisionCache::size).orElse(0L))
                .description("Decisions currently cached (estimate).")
                .register(registry);
    }

    /** The sink of the session event seam that counts what sessions do. */
    public SessionMetrics sessions() {
        return sessions;
    }

    /** Everything, in the Prometheus text format 0.0.4. */
    String scrape() {
        return registry.scrape(AdminResponse.PROMETHEUS_TEXT);
    }
}
