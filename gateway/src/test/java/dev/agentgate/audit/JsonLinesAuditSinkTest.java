package dev.agentgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SIEM export: session events as JSON lines, written off the session's thread. */
class JsonLinesAuditSinkTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SESSION = "gw-a-0011223344556677";
    private static final Identity AGENT =
            new Identity("https://idp.example.com", "agent-7", Map.of("sub", "agent-7"), AT.plusSeconds(3600));
    private static final String INPUT =
            "{\"version\":1,\"command\":{\"type\":\"query\"},\"statement\":{\"sql\":\"SELECT 1\"}}";

    @TempDir
    Path dir;

    @Test
    void aStartedSessionIsOneLineNamingWhoAndWhere() throws IOException {
        List<JsonNode> lines = exported(started());

        JsonNode line = lines.get(0);
        assertThat(line.path("event").asText()).isEqualTo("session_started");
        assertThat(line.path("at").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(line.path("session_id").asText()).isEqualTo(SESSION);
        assertThat(line.path("identity").toString())
                .isEqualTo("{\"issuer\":\"https://idp.example.com\",\"subject\":\"agent-7\"}");
        assertThat(line.path("target").asText()).isEqualTo("appdb");
        assertThat(line.path("tls_protocol").asText()).isEqualTo("TLSv1.3");
    }

    @Test
    void aDecisionLineCarriesTheExactPolicyInputOfEachDecision() throws IOException {
        JsonNode line = exported(decided()).get(0);

        assertThat(line.path("event").asText()).isEqualTo("command_decided");
        assertThat(line.path("command_no").asLong()).isEqualTo(3);
        assertThat(line.path("action").asText()).isEqualTo("deny");
        assertThat(line.path("decisions").get(0).toString())
                .isEqualTo("{\"action\":\"deny\",\"reason\":\"readonly: no\",\"decision_id\":\"d-1\"}");
        assertThat(line.path("policy_inputs").get(0)).isEqualTo(MAPPER.readTree(INPUT));
    }

    @Test
    void aChangeOfUserIsALineNamingTheNewIdentityAndTheDecisionThatAdmittedIt() throws IOException {
        Identity bob = new Identity("https://idp.example.com", "bob", Map.of("sub", "bob"), AT.plusSeconds(3600));
        JsonNode line = exported(new SessionEvent.IdentityChanged(
                        SESSION, AT, bob, new LoginDecision("pool user bob", "d-9", null, null, () -> null)))
                .get(0);

        assertThat(line.path("event").asText()).isEqualTo("identity_changed");
        assertThat(line.path("identity").toString())
                .isEqualTo("{\"issuer\":\"https://idp.example.com\",\"subject\":\"bob\"}");
        assertThat(line.path("reason").asText()).isEqualTo("pool user bob");
        assertThat(line.path("decision_id").asText()).isEqualTo("d-9");
    }

    @Test
    void aCompletedCommandAndTheSessionsEndAreLinesOfTheirOwn() throws IOException {
        List<JsonNode> lines = exported(
                new SessionEvent.CommandCompleted(
                        SESSION,
                        AT,
                        3,
                        "refused",
                        0,
                        0,
                        1142,
                        "Access denied",
                        0,
                        0,
                        Duration.ofMillis(7),
                        ResponseBudget.Cut.NONE),
                new SessionEvent.Ended(SESSION, AT, SessionEvent.EndReason.MAX_DURATION, "session reached"));

        assertThat(lines)
                .extracting(line -> line.path("event").asText())
                .containsExactly("command_completed", "session_ended");
        assertThat(lines.get(0).path("error_code").asInt()).isEqualTo(1142);
        assertThat(lines.get(0).path("elapsed_ms").asLong()).isEqualTo(7);
        assertThat(lines.get(1).path("reason").asText()).isEqualTo("max_duration");
    }

    @Test
    void responsePacketsAreNotExported() throws IOException {
        List<JsonNode> lines =
                exported(new SessionEvent.ResponsePacket(SESSION, AT, 3, ByteBuffer.wrap(new byte[] {0})), started());

        assertThat(lines).extracting(line -> line.path("event").asText()).containsExactly("session_started");
    }

    @Test
    void eventsTheWriterCannotKeepUpWithAreDroppedAndTheGapIsCounted() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writing.countDown();
                awaitQuietly(release);
                written.write(bytes, offset, length);
            }
        };
        JsonLinesAuditSink sink = new JsonLinesAuditSink(stalled, 1, true);
        sink.on(started()); // taken by the writer, which stalls in its flush
        writing.await();
        sink.on(decided()); // waits in the queue
        sink.on(decided()); // no room: dropped
        sink.on(decided()); // no room: dropped
        release.countDown();
        sink.close();

        List<String> events = new ArrayList<>();
        for (String line : written.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode json = MAPPER.readTree(line);
            events.add(json.path("event").asText() + (json.has("count") ? " " + json.path("count") : ""));
        }
        assertThat(events).containsExactly("session_started", "events_dropped 2", "command_decided");
    }

    @Test
    void anExportFileIsAppendedToNotReplaced() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "{\"event\":\"earlier\"}\n");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file.toString())) {
            sink.on(started());
        }

        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("{\"event\":\"earlier\"}");
    }

    private List<JsonNode> exported(SessionEvent... events) throws IOException {
        Path file = dir.resolve("export.jsonl");
        Files.deleteIfExists(file);
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file.toString())) {
            for (SessionEvent event : events) {
                sink.on(event);
            }
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(MAPPER.readTree(line));
        }
        return lines;
    }

    private static SessionEvent.Started started() {
        SessionFacts facts = new SessionFacts(
                7, SESSION, "appdb", "shop", "10.1.2.3:5000", true, "mysql", Map.of(), AT, AGENT.expiresAt());
        return new SessionEvent.Started(SESSION, AT, AGENT, facts, "TLSv1.3", null, "gw-a");
    }

    private static SessionEvent.CommandDecided decided() {
        return new SessionEvent.CommandDecided(
                SESSION,
                AT,
                3,
                "deny",
                "readonly: no",
                List.of(),
                List.of(new Decision.Deny("readonly: no", Optional.of("d-1"), Decision.Caching.NEVER)),
                () -> List.of(INPUT));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
