package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a recording keeps of the policy's decisions, through a real gateway whose OPA serves the policy as a bundle of
 * a known revision: the revision (OPA's provenance) with the session and with every decision, the session-level
 * decision at login with its limits and input, and for a masked query whose shape was settled before, the input of
 * the lineage question it stands for.
 */
@Tag("integration")
class RecordedDecisionsTest {

    private static final String REVISION = "policy-rev-7";

    private static final String POLICY = """
      package agentgate

      connecting if input.command.type == "connect"

      reads_people if {
        not connecting
        contains(lower(input.statement.sql), "people")
      }

      decision := {"action": "allow", "reason": "test: agents may connect",
        "obligations": {"max_session_s": 600, "idle_timeout_s": 300}} if connecting

      decision := {"action": "mask", "reason": "test: ssn is masked", "cache_ttl_s": 60, "cache_key": "digest",
        "masks": {"shop.people.ssn": {"strategy": "redact"}}} if reads_people

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not connecting
        not reads_people
      }
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private static RecordingConfig recording;

    @BeforeAll
    static void startEverything() throws Exception {
        recording = RecordingConfig.inDirectory(directory.resolve("recordings"));
        gateway = DevGateway.startWithBundle(
                directory,
                POLICY,
                REVISION,
                "CREATE DATABASE shop; CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11));"
                        + "INSERT INTO shop.people VALUES (1, 'Ada', '123-45-6789'), (2, 'Bob', '987-65-4321');",
                MaskingConfig.NONE,
                DevGateway.Options.recorded(recording));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theSessionStartRecordsTheBundleRevisionOpaAnsweredWith() throws Exception {
        RecordedSession session = sessionRunning("SELECT 'revision' /* started */");

        assertThat(session.start().orElseThrow().path("policy_revision").asText())
                .isEqualTo(REVISION);
    }

    @Test
    void everyDecisionRecordsTheBundleRevisionItWasDecidedBy() throws Exception {
        RecordedSession session = sessionRunning("SELECT 'each decision' /* each */");

        List<JsonNode> decided = session.records().stream()
                .filter(record -> record.has("decision"))
                .map(record -> record.path("decision"))
                .toList();

        assertThat(decided).isNotEmpty();
        assertThat(decided)
                .allSatisfy(decision ->
                        assertThat(decision.path("policy_revision").asText()).isEqualTo(REVISION));
    }

    @Test
    void theLoginDecisionIsRecordedWithItsLimitsDecisionIdAndInput() throws Exception {
        RecordedSession session = sessionRunning("SELECT 'login' /* login */");

        JsonNode login = session.start().orElseThrow().path("login_decision");

        assertThat(login.path("action").asText()).isEqualTo("allow");
        assertThat(login.path("reason").asText()).isEqualTo("test: agents may connect");
        assertThat(login.path("max_session_s").asLong()).isEqualTo(600);
        assertThat(login.path("idle_timeout_s").asLong()).isEqualTo(300);
        assertThat(login.path("decision_id").asText()).isNotBlank();
        assertThat(login.path("policy_input").path("command").path("type").asText())
                .isEqualTo("connect");
        assertThat(login.path("policy_input").path("identity").path("subject").asText())
                .isEqualTo("agent-7");
    }

    @Test
    void aMaskedQueryOfASettledShapeRecordsTheLineageInputOfItsOwnText() throws Exception {
        String first = "SELECT name, ssn FROM people WHERE id = 1";
        String second = "SELECT name, ssn FROM people WHERE id = 2";
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.executeQuery(first).close();
            statement.executeQuery(second).close();
        }

        RecordedStatement reused = statementOfEndedSession(second);

        assertThat(reused.action()).isEqualTo("mask");
        assertThat(reused.policyInputs()).hasSize(1);
        JsonNode input = reused.policyInputs().get(0);
        assertThat(input.path("statement").path("sql").asText()).isEqualTo(second);
        assertThat(input.path("statement").path("lineage").path("sql").asText()).isEqualTo(second);
        assertThat(input.path("statement").path("lineage").path("columns").toString())
                .contains("ssn");
    }

    /** The recording of a session that ran {@code sql} and quit, once its end is recorded. */
    private static RecordedSession sessionRunning(String sql) throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
        }
        return endedSessionWith(sql);
    }

    private static RecordedStatement statementOfEndedSession(String sql) throws Exception {
        return endedSessionWith(sql).statements().stream()
                .filter(statement -> sql.equals(statement.sql()))
                .findFirst()
                .orElseThrow();
    }

    private static RecordedSession endedSessionWith(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                if (session.end().isPresent()
                        && session.statements().stream().anyMatch(statement -> sql.equals(statement.sql()))) {
                    return session;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session recorded " + sql);
    }
}
