package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.admin.CredentialFailures;
import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway's admin listener answering an address that keeps sending refused credentials: 429 with a JSON
 * error once the limit is reached, while the unauthenticated health and metrics paths stay open.
 */
@Tag("integration")
class AdminCredentialLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = GatewayServer.start(GatewayConfig.builder()
                .listen(ListenConfig.defaults().withAddress("127.0.0.1", 0))
                .policy(PolicyConfig.defaults().withOpaUrl(URI.create("http://127.0.0.1:" + FreePorts.next())))
                .state(StateConfig.sqlite(directory.resolve("state.db")))
                .recording(RecordingConfig.inDirectory(directory.resolve("recordings")))
                .admin(AdminConfig.enabledOn("127.0.0.1", 0))
                .target(TargetConfig.of("appdb", "127.0.0.1", FreePorts.next(), "svc", "pw"))
                .build());
    }

    @AfterEach
    void stop() {
        gateway.shutdownGracefully();
    }

    @Test
    void anAddressWhoseTokensWereRefusedTooOftenGets429WithAJsonError() throws Exception {
        for (int i = 0; i < CredentialFailures.DEFAULT_MAX; i++) {
            assertThat(approvalsWithToken("wrong-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> limited = approvalsWithToken("wrong-again");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(limited.body());
        assertThat(body.path("error").asText()).startsWith("too many refused credentials from this address");
        assertThat(body.path("retry_after_s").asLong()).isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("retry-after"))
                .hasValue(body.path("retry_after_s").asText());
    }

    @Test
    void refusalsOnTheApprovalsAndTheRecordingsApiCountTogether() throws Exception {
        for (int i = 0; i < CredentialFailures.DEFAULT_MAX; i++) {
            String path = i % 2 == 0 ? "/approvals" : "/recordings";
            assertThat(withToken(path, "wrong-" + i).statusCode()).as(path).isEqualTo(401);
        }

        assertThat(withToken("/recordings", "wrong-again").statusCode()).isEqualTo(429);
    }

    @Test
    void refusalsBelowTheLimitAreAnswered401Each() throws Exception {
        for (int i = 0; i < CredentialFailures.DEFAULT_MAX - 1; i++) {
            approvalsWithToken("wrong-" + i);
        }

        assertThat(approvalsWithToken("still-wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void aBlockedAddressStillReachesTheUnauthenticatedHealthAndMetricsPaths() throws Exception {
        for (int i = 0; i <= CredentialFailures.DEFAULT_MAX; i++) {
            approvalsWithToken("wrong-" + i);
        }

        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> approvalsWithToken(String token) throws Exception {
        return withToken("/approvals", token);
    }

    private HttpResponse<String> withToken(String path, String token) throws Exception {
        return http.send(
                request(path).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(10));
    }
}
