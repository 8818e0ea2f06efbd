package dev.agentgate.transport.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.admin.GatewayCounters;
import dev.agentgate.admin.GatewayStatus;
import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.enforcement.PolicyEnforcement;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.IdleSessionControl;
import dev.agentgate.testing.PrometheusSamples;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint served over real HTTP on a loopback port. */
class AdminServerTest {
    private static final SessionControl IDLE = IdleSessionControl.INSTANCE;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SessionRegistry registry = new SessionRegistry(10);
    private final GatewayCounters counters = new GatewayCounters();
    /** Never asked in these tests: OPA's address only has to be well-formed. */
    private final PolicyEnforcement policy = new PolicyEnforcement(
            PolicyConfig.defaults().withOpaUrl(URI.create("http://127.0.0.1:" + FreePorts.next())));

    private AdminServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = AdminServer.startIfEnabled(
                AdminConfig.enabledOn("127.0.0.1", FreePorts.next()), new GatewayStatus(registry, counters, policy));
    }

    @AfterEach
    void stopServer() {
        server.close();
        policy.close();
    }

    @Test
    void reportsHealthyWhileTheGatewayAcceptsClients() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void reportsUnavailableOnceShutdownHasBegun() throws Exception {
        server.shuttingDown();

        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"status\":\"shutting_down\"}");
    }

    @Test
    void listsLiveSessionsInConnectionIdOrder() throws Exception {
        register(7, "10.0.0.7:5000", "2026-11-24T00:00:07Z");
        register(3, "10.0.0.3:5000", "2026-11-24T00:00:03Z");

        HttpResponse<String> response = get("/sessions");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"count\":2,\"sessions\":["
                        + "{\"connection_id\":3,\"session_id\":\"s3\",\"issuer\":\"https://issuer.example.com\","
                        + "\"subject\":\"repo:acme/app\",\"target\":\"appdb\",\"backend_thread_id\":103,"
                        + "\"client_address\":\"10.0.0.3:5000\",\"started_at\":\"2026-11-24T00:00:03Z\"},"
                        + "{\"connection_id\":7,\"session_id\":\"s7\",\"issuer\":\"https://issuer.example.com\","
                        + "\"subject\":\"repo:acme/app\",\"target\":\"appdb\",\"backend_thread_id\":107,"
                        + "\"client_address\":\"10.0.0.7:5000\",\"started_at\":\"2026-11-24T00:00:07Z\"}]}");
    }

    @Test
    void listsNoSessionsWhenNobodyIsConnected() throws Exception {
        assertThat(get("/sessions").body()).isEqualTo("{\"count\":0,\"sessions\":[]}");
    }

    @Test
    void exposesGatewayMetricsInPrometheusTextFormat() throws Exception {
        registry.reserve();
        register(registry.reserve().orElseThrow(), "10.0.0.1:5000", "2026-11-24T00:00:00Z");
        counters.connectionRefusedAtMax();
        counters.loginAccepted();
        counters.loginRefused();
        counters.loginRefused();

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains(
                        "# HELP agentgate_sessions_open Logged-in client sessions.\n"
                                + "# TYPE agentgate_sessions_open gauge\n",
                        "# TYPE agentgate_connections_refused_max_total counter\n");
        assertThat(PrometheusSamples.parse(response.body()))
                .containsEntry("agentgate_sessions_open", 1.0)
                .containsEntry("agentgate_connections_open", 2.0)
                .containsEntry("agentgate_connections_refused_max_total", 1.0)
                .containsEntry("agentgate_logins_accepted_total", 1.0)
                .containsEntry("agentgate_logins_refused_total", 2.0);
    }

    @Test
    void exposesTheOpaCircuitBreakerStateAsAStateSet() throws Exception {
        assertThat(PrometheusSamples.parse(get("/metrics").body()))
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"closed\"}", 1.0)
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"open\"}", 0.0)
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"half_open\"}", 0.0)
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"forced_open\"}", 0.0)
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"disabled\"}", 0.0)
                .containsEntry("agentgate_opa_circuit_breaker_state{state=\"metrics_only\"}", 0.0);
    }

    @Test
    void exposesDecisionCacheHitsMissesAndSize() throws Exception {
        policy.cache().get(cacheKey(), null);

        assertThat(PrometheusSamples.parse(get("/metrics").body()))
                .containsEntry("agentgate_decision_cache_hits_total", 0.0)
                .containsEntry("agentgate_decision_cache_misses_total", 1.0)
                .containsEntry("agentgate_decision_cache_entries", 0.0);
    }

    @Test
    void exposesPolicyDecisionTimesAsAHistogramInSeconds() throws Exception {
        policy.gate().decisionTimes().record(1_500);
        policy.gate().decisionTimes().record(700_000);

        String body = get("/metrics").body();

        assertThat(body).contains("# TYPE agentgate_policy_decision_duration_seconds histogram\n");
        assertThat(PrometheusSamples.parse(body))
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"1.0E-6\"}", 0.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"2.0E-6\"}", 1.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"5.0E-4\"}", 1.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"0.001\"}", 2.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"10.0\"}", 2.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_bucket{le=\"+Inf\"}", 2.0)
                .containsEntry("agentgate_policy_decision_duration_seconds_sum", 7.015E-4)
                .containsEntry("agentgate_policy_decision_duration_seconds_count", 2.0);
    }

    @Test
    void exposesTheJvmsOwnMetricsToo() throws Exception {
        assertThat(PrometheusSamples.parse(get("/metrics").body()))
                .containsKey("process_uptime_seconds")
                .containsKey("jvm_threads_live_threads");
    }

    @Test
    void writesOnlyWellFormedPrometheusLines() throws Exception {
        register(registry.reserve().orElseThrow(), "10.0.0.1:5000", "2026-11-24T00:00:00Z");

        String body = get("/metrics").body();

        assertThat(body).endsWith("\n");
        assertThat(body.lines())
                .allMatch(
                        line -> line.matches("# (HELP|TYPE) [a-z_0-9]+ .+")
                                || line.matches("# EOF")
                                || line.matches(
                                        "[a-z_0-9]+(\\{[a-z_0-9]+=\"[^\"]*\"(,[a-z_0-9]+=\"[^\"]*\")*})? [-+0-9.E]+|[a-z_0-9]+(\\{.*})? NaN"));
    }

    @Test
    void answersAnUnknownPathWithNotFound() throws Exception {
        HttpResponse<String> response = get("/status");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no such path");
    }

    @Test
    void answersAnotherMethodWithMethodNotAllowedAndTheAllowedOne() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void ignoresAQueryString() throws Exception {
        assertThat(get("/health?verbose=1").statusCode()).isEqualTo(200);
    }

    @Test
    void servesNothingWhenDisabled() throws Exception {
        AdminServer disabled =
                AdminServer.startIfEnabled(AdminConfig.disabled(), new GatewayStatus(registry, counters, null));

        assertThat(disabled.port()).isEqualTo(-1);
        disabled.close();
    }

    @Test
    void refusesToStartOnAPortThatIsTakenNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> AdminServer.startIfEnabled(
                            AdminConfig.enabledOn("127.0.0.1", taken.getLocalPort()),
                            new GatewayStatus(registry, counters, null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("admin endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    private void register(int connectionId, String clientAddress, String startedAt) {
        registry.register(
                new SessionInfo(
                        connectionId,
                        "s" + connectionId,
                        "https://issuer.example.com",
                        "repo:acme/app",
                        "appdb",
                        100 + connectionId,
                        clientAddress,
                        Instant.parse(startedAt)),
                IDLE);
    }

    private static DecisionCache.Key cacheKey() {
        return new DecisionCache.Key("fp", "appdb", null, "COM_QUERY", "SELECT 1", false);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
