package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.S3Server;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness and readiness as the running gateway reports them on its admin listener, against a real OPA (serving a
 * bundle built by {@code opa build}, loose policy files, or nothing at all), a real state database and a real
 * recording directory.
 */
@Tag("integration")
class GatewayReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "package agentgate\n\ndecision := {\"action\": \"allow\"}\n";

    @TempDir
    static Path shared;

    private static Path bundle;
    private static Path looseFiles;

    @TempDir
    Path directory;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void buildTheBundle() throws Exception {
        looseFiles = Files.createDirectories(shared.resolve("policy"));
        Files.writeString(looseFiles.resolve("policy.rego"), POLICY);
        bundle = shared.resolve("bundle.tar.gz");
        Process build = new ProcessBuilder(
                        OpaProcess.binary(),
                        "build",
                        "-b",
                        looseFiles.toString(),
                        "--revision",
                        "rev-7",
                        "-o",
                        bundle.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue())
                .as(new String(build.getInputStream().readAllBytes()))
                .isZero();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void isReadyWhenOpaHasAnActiveBundleAndTheStateDatabaseAndRecordingStoreAnswer() throws Exception {
        GatewayServer gateway = start(opaServing(bundle), sqliteState());

        JsonNode ready = get(gateway, "/health/ready", 200);

        assertThat(ready.path("status").asText()).isEqualTo("ready");
        assertThat(ready.at("/checks/opa/detail").asText()).contains("revision rev-7");
        assertThat(ready.at("/checks/state/ok").asBoolean()).isTrue();
        assertThat(ready.at("/checks/recording/ok").asBoolean()).isTrue();
    }

    @Test
    void isNotReadyWhenOpaServesLoosePolicyFilesInsteadOfABundle() throws Exception {
        GatewayServer gateway = start(opaServing(looseFiles), sqliteState());

        JsonNode ready = get(gateway, "/health/ready", 503);

        assertThat(ready.path("status").asText()).isEqualTo("not_ready");
        assertThat(ready.at("/checks/opa/ok").asBoolean()).isFalse();
        assertThat(ready.at("/checks/opa/detail").asText()).contains("no active bundle");
    }

    @Test
    void isNotReadyWhileOpaIsDown() throws Exception {
        GatewayServer gateway = start(URI.create("http://127.0.0.1:" + FreePorts.next()), sqliteState());

        JsonNode ready = get(gateway, "/health/ready", 503);

        assertThat(ready.at("/checks/opa/detail").asText()).contains("unreachable");
        assertThat(ready.at("/checks/state/ok").asBoolean()).isTrue();
    }

    @Test
    void isNotReadyWhileTheStateDatabaseIsDown() throws Exception {
        StateConfig nobodyListens =
                new StateConfig("jdbc:mariadb://127.0.0.1:" + FreePorts.next() + "/agentgate_state", "gw", "secret", 1);
        GatewayServer gateway = start(opaServing(bundle), nobodyListens);

        JsonNode ready = get(gateway, "/health/ready", 503);

        assertThat(ready.at("/checks/state/ok").asBoolean()).isFalse();
        assertThat(ready.at("/checks/opa/ok").asBoolean()).isTrue();
    }

    @Test
    void refusesClientsSayingWhyWhileTheFleetsStateDatabaseGaveItNoConnectionIds() throws Exception {
        StateConfig nobodyListens =
                new StateConfig("jdbc:mariadb://127.0.0.1:" + FreePorts.next() + "/agentgate_state", "gw", "secret", 1);
        GatewayServer gateway = start(opaServing(bundle), nobodyListens);

        byte[] greeting;
        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] header = in.readNBytes(4);
            greeting = in.readNBytes((header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16);
        }

        assertThat(greeting[0] & 0xFF)
                .as("an ERR packet in place of the greeting")
                .isEqualTo(0xFF);
        assertThat((greeting[1] & 0xFF) | (greeting[2] & 0xFF) << 8).isEqualTo(1105);
        assertThat(new String(greeting, StandardCharsets.UTF_8))
                .contains("no connection id can be given out yet: the fleet's state database did not answer");
    }

    @Test
    void isNotReadyWhenTheRecordingDirectoryCannotBeWritten() throws Exception {
        GatewayServer gateway = start(opaServing(bundle), sqliteState());
        Path recordings = directory.resolve("recordings");
        try (var files = Files.walk(recordings)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
        Files.writeString(recordings, "a file where the recording directory was");

        JsonNode ready = get(gateway, "/health/ready", 503);

        assertThat(ready.at("/checks/recording/ok").asBoolean()).isFalse();
        assertThat(ready.at("/checks/recording/detail").asText()).contains("cannot write session recordings");
    }

    @Test
    void isNotReadyWhileTheRecordingBucketIsUnreachableAndReadyAgainOnceItAnswers() throws Exception {
        S3Server s3 = S3Server.start(directory.resolve("s3"), "sessions");
        started.add(s3);
        GatewayServer gateway = start(opaServing(bundle), sqliteState(), recordingTo(s3));
        assertThat(get(gateway, "/health/ready", 200)
                        .at("/checks/recording_store/detail")
                        .asText())
                .isEqualTo("reachable: s3://sessions/recordings/");

        s3.stop();
        JsonNode down = awaitStatus(gateway, 503);

        assertThat(down.at("/checks/recording_store/ok").asBoolean()).isFalse();
        assertThat(down.at("/checks/recording_store/detail").asText())
                .startsWith("cannot reach the session recording store s3://sessions/recordings/");
        assertThat(down.at("/checks/recording/ok").asBoolean())
                .as("the local recording directory")
                .isTrue();

        s3.restart();
        assertThat(awaitStatus(gateway, 200).at("/checks/recording_store/ok").asBoolean())
                .isTrue();
    }

    @Test
    void withoutARecordingBucketReadinessHasNoCheckOfOne() throws Exception {
        GatewayServer gateway = start(opaServing(bundle), sqliteState());

        assertThat(get(gateway, "/health/ready", 200).at("/checks").has("recording_store"))
                .isFalse();
    }

    @Test
    void isLiveWhileItsEventLoopsRunTasksWhateverItsDependenciesSay() throws Exception {
        GatewayServer gateway = start(URI.create("http://127.0.0.1:" + FreePorts.next()), sqliteState());

        JsonNode live = get(gateway, "/health/live", 200);

        assertThat(live.path("status").asText()).isEqualTo("live");
        assertThat(live.at("/checks/event_loops/ok").asBoolean()).isTrue();
    }

    private URI opaServing(Path policy) {
        OpaProcess opa = OpaProcess.start(policy);
        started.add(opa);
        return opa.url();
    }

    private StateConfig sqliteState() {
        return StateConfig.sqlite(directory.resolve("state.db"));
    }

    private RecordingConfig recordingTo(S3Server s3) {
        return RecordingConfig.inDirectory(directory.resolve("recordings"))
                .withS3(new RecordingConfig.S3Config(
                        s3.endpoint(),
                        s3.bucket(),
                        S3Server.REGION,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY,
                        true,
                        "recordings/"));
    }

    /** The readiness answer once it has the status (the bucket's last answer is reused for a few seconds). */
    private JsonNode awaitStatus(GatewayServer gateway, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/health/ready"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == status) {
                return JSON.readTree(response.body());
            }
            assertThat(System.nanoTime())
                    .as("readiness %d within 30 s; last: %s", status, response.body())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private GatewayServer start(URI opa, StateConfig state) throws Exception {
        return start(opa, state, RecordingConfig.inDirectory(directory.resolve("recordings")));
    }

    private GatewayServer start(URI opa, StateConfig state, RecordingConfig recording) throws Exception {
        GatewayServer gateway = GatewayServer.start(GatewayConfig.builder()
                .listen(ListenConfig.defaults().withAddress("127.0.0.1", 0))
                .policy(PolicyConfig.defaults().withOpaUrl(opa))
                .state(state)
                .recording(recording)
                .admin(AdminConfig.enabledOn("127.0.0.1", 0))
                .target(TargetConfig.of("appdb", "127.0.0.1", FreePorts.next(), "svc", "pw"))
                .build());
        started.add(gateway::shutdownGracefully);
        return gateway;
    }

    private JsonNode get(GatewayServer gateway, String path, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
