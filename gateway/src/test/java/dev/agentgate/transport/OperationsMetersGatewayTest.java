package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ConfigException;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PrometheusSamples;
import dev.agentgate.testing.TestGatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations meters of a running gateway on {@code /metrics}: OPA's round trips and failures by kind (fed by the
 * start-up warm-up question to a real OPA), masked values, statements waiting for approval and the recording's lag.
 */
@Tag("integration")
class OperationsMetersGatewayTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path directory;

    private OpaProcess opa;
    private GatewayServer gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.shutdownGracefully();
        }
        if (opa != null) {
            opa.close();
        }
    }

    @Test
    void timesTheRoundTripsOpaAnswered() throws Exception {
        Path policy = Files.writeString(
                directory.resolve("policy.rego"), "package agentgate\n\ndecision := {\"action\": \"allow\"}\n");
        opa = OpaProcess.start(policy);
        gateway = start(opa.url());

        Map<String, Double> samples = awaitSample("agentgate_opa_request_duration_seconds_count");

        assertThat(samples.get("agentgate_opa_request_duration_seconds_sum")).isPositive();
        assertThat(samples).containsEntry("agentgate_opa_failures_total{kind=\"unavailable\"}", 0.0);
    }

    @Test
    void countsAQuestionOpaCouldNotBeAskedAsUnavailable() throws Exception {
        gateway = start(URI.create("http://127.0.0.1:" + FreePorts.next()));

        Map<String, Double> samples = awaitSample("agentgate_opa_failures_total{kind=\"unavailable\"}");

        assertThat(samples)
                .containsEntry("agentgate_opa_failures_total{kind=\"timeout\"}", 0.0)
                .containsEntry("agentgate_opa_failures_total{kind=\"invalid\"}", 0.0)
                .containsEntry("agentgate_opa_request_duration_seconds_count", 0.0);
    }

    @Test
    void reportsMaskedValuesApprovalsWaitingAndTheRecordingLagFromTheStart() throws Exception {
        gateway = start(URI.create("http://127.0.0.1:" + FreePorts.next()));

        assertThat(scrape())
                .containsEntry("agentgate_masked_values_total", 0.0)
                .containsEntry("agentgate_approvals_waiting", 0.0)
                .containsEntry("agentgate_recording_queued_events", 0.0)
                .containsEntry("agentgate_recording_lag_seconds", 0.0);
    }

    @Test
    void countsAppliedAndRefusedConfigurationReloads() throws Exception {
        gateway = start(URI.create("http://127.0.0.1:" + FreePorts.next()));
        GatewayConfig running = gateway.config();

        gateway.reload(() -> running);
        assertThatThrownBy(() -> gateway.reload(() -> {
                    throw ConfigException.at("targets.appdb.port", "must be between 1 and 65535, was 0");
                }))
                .hasMessage("targets.appdb.port: must be between 1 and 65535, was 0");

        assertThat(scrape())
                .containsEntry("agentgate_config_reloads_total{result=\"applied\"}", 1.0)
                .containsEntry("agentgate_config_reloads_total{result=\"refused\"}", 1.0);
        assertThat(gateway.config()).as("the running configuration kept").isSameAs(running);
    }

    private GatewayServer start(URI opaUrl) throws Exception {
        return GatewayServer.start(GatewayConfig.builder()
                .listen(ListenConfig.defaults().withAddress("127.0.0.1", 0))
                .policy(TestGatewayConfig.patientPolicy(opaUrl, MaskingConfig.NONE))
                .state(StateConfig.sqlite(directory.resolve("state.db")))
                .recording(RecordingConfig.inDirectory(directory.resolve("recordings")))
                .admin(AdminConfig.enabledOn("127.0.0.1", 0))
                .target(TargetConfig.of("appdb", "127.0.0.1", FreePorts.next(), "svc", "pw"))
                .build());
    }

    /** Scrapes until {@code name} is at least 1 (the warm-up question is asked off the start-up thread). */
    private Map<String, Double> awaitSample(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Double> samples = scrape();
        while (samples.getOrDefault(name, 0.0) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            samples = scrape();
        }
        assertThat(samples.get(name)).as(name).isGreaterThanOrEqualTo(1.0);
        return samples;
    }

    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusSamples.parse(response.body());
    }
}
