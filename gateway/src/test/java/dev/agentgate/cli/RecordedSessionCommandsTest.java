package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.config.StateConfig;
import dev.agentgate.review.Playback;
import dev.agentgate.review.ReviewGateway;
import dev.agentgate.review.StatePlaybackLog;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.testing.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentgate sessions list|show|play|export} and {@code policy whatif --sessions} on the recordings of a real
 * gateway (real MariaDB, real OPA): one session of agent-7 that selects, shows and has a DELETE refused, and one of
 * agent-9.
 */
class RecordedSessionCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANDIDATE = """
            package agentgate

            denied := {"show", "delete"}

            decision := {"action": "deny", "reason": "candidate: no SHOW or DELETE"} if input.statement.type in denied

            decision := {"action": "allow", "reason": "candidate: allowed"} if not input.statement.type in denied
            """;

    @TempDir
    static Path directory;

    private static ReviewGateway gateway;
    private static Path config;
    private static String agent7;
    private static String agent9;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void recordTwoSessions() throws Exception {
        gateway = ReviewGateway.start(directory, Optional.empty(), FreePorts.next());
        agent7 = gateway.session(
                "agent-7", "SELECT id, name FROM orders ORDER BY id", "SHOW TABLES", "DELETE FROM orders");
        agent9 = gateway.session("agent-9", "SELECT 1");
        config = gateway.configFile();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void listWithASubjectShowsOnlyThatSubjectsSessionWithItsRefusedCount() {
        assertThat(run("sessions", "list", "--config", config.toString(), "--subject", "agent-7"))
                .as(err.toString())
                .isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("SESSION").contains("SUBJECT", "REFUSED");
        assertThat(lines.get(1)).startsWith(agent7).contains("agent-7", "appdb", "ended");
        assertThat(lines.get(1).split("\\s+")[6]).isEqualTo("1");
    }

    @Test
    void listWithAMalformedSinceIsAUsageError() {
        assertThat(run("sessions", "list", "--config", config.toString(), "--since", "yesterday"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--since must be an ISO instant");
    }

    @Test
    void showListsEachStatementWithItsDecisionAndOutcome() {
        assertThat(run("sessions", "show", agent7, "--config", config.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString())
                .contains("identity: agent-7 (agentgate-dev)", "target:   appdb", "ended:")
                .containsPattern("COM_QUERY +allow +ok +SELECT id, name FROM orders ORDER BY id")
                .containsPattern("COM_QUERY +deny +refused +DELETE FROM orders");
    }

    @Test
    void playFastShowsTheResultTableAndTheRefusalAsTheMysqlClientWould() {
        assertThat(run("sessions", "play", agent7, "--fast", "--config", config.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString())
                .contains(
                        "mysql> SELECT id, name FROM orders ORDER BY id;\n-- policy: allow (test: allowed)\n"
                                + "+----+------+\n| id | name |\n+----+------+\n| 1  | ada  |\n| 2  | NULL |\n"
                                + "+----+------+\n2 rows in set\n",
                        "mysql> DELETE FROM orders;\n-- policy: deny (Access denied by agentgate policy: test: no DELETE)\n"
                                + "ERROR 1142 (42000): Access denied by agentgate policy: test: no DELETE\n",
                        "-- session ended: client_quit");
    }

    @Test
    void playAtAHighSpeedShowsTheSameTranscriptAsFast() {
        run("sessions", "play", agent7, "--fast", "--config", config.toString());
        String fast = out.toString();
        out.getBuffer().setLength(0);

        assertThat(run("sessions", "play", agent7, "--speed", "1000", "--config", config.toString()))
                .isZero();
        assertThat(out.toString()).isEqualTo(fast);
    }

    @Test
    void exportWritesEveryRecordAsOneJsonLineFromStartToEnd() throws Exception {
        assertThat(run("sessions", "export", agent9, "--config", config.toString()))
                .as(err.toString())
                .isZero();

        List<JsonNode> records = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            records.add(JSON.readTree(line));
        }
        assertThat(records.get(0).path("type").asText()).isEqualTo("session_start");
        assertThat(records.get(records.size() - 1).path("type").asText()).isEqualTo("session_end");
        assertThat(records)
                .anySatisfy(record -> assertThat(record.path("sql").asText()).isEqualTo("SELECT 1"));
    }

    @Test
    void anUnknownSessionIsExitCodeOne() {
        assertThat(run("sessions", "play", "gw-unknown-01", "--config", config.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no recording of session gw-unknown-01");
    }

    @Test
    void playIsRecordedAsAPlaybackByTheOperatingSystemUserViaTheCli() throws Exception {
        Instant before = Instant.now();
        assertThat(run("sessions", "play", agent9, "--fast", "--config", config.toString()))
                .isZero();

        List<Playback> playbacks;
        try (StateDatabase state = StateDatabase.open(StateConfig.sqlite(directory.resolve("state.db")))) {
            playbacks = new StatePlaybackLog(state).of(agent9).join();
        }
        assertThat(playbacks).anySatisfy(playback -> {
            assertThat(playback.reviewer().subject()).isEqualTo(System.getProperty("user.name"));
            assertThat(playback.reviewer().via().jsonName()).isEqualTo("cli");
            assertThat(playback.at()).isAfterOrEqualTo(before.minusMillis(1));
        });
        assertThat(Files.readAllLines(gateway.auditFile()))
                .anySatisfy(line -> assertThat(line)
                        .contains(
                                "\"event\":\"session_watched\"",
                                "\"session_id\":\"" + agent9 + "\"",
                                "\"via\":\"cli\""));
    }

    @Test
    void aPlaybackThatCannotBeRecordedShowsNothingAndExitsWithTwo() throws Exception {
        Path unreachable = Files.writeString(
                directory.resolve("unreachable-state.yaml"),
                Files.readString(config)
                        .replaceAll(
                                "state:\n  url: .*\n",
                                // a shared state database makes it a fleet's config, which needs the hash key
                                "state:\n  url: jdbc:mariadb://127.0.0.1:1/agentgate\n"
                                        + "policy:\n  masking:\n    hash_key: review-fleet-hash-key-0123\n"));

        assertThat(run("sessions", "play", agent9, "--fast", "--config", unreachable.toString()))
                .isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("this playback could not be recorded (");
    }

    @Test
    void whatIfOverTheRecordingStoreListsTheDecisionsACandidateWouldChangeAndExitsWithOne() throws Exception {
        Path candidate = Files.createDirectories(directory.resolve("candidate"));
        Files.writeString(candidate.resolve("candidate.rego"), CANDIDATE);

        int exitCode = run(
                "policy",
                "whatif",
                "--bundle",
                candidate.toString(),
                "--sessions",
                "subject=agent-7",
                "--config",
                config.toString());

        assertThat(exitCode).as(err.toString()).isEqualTo(1);
        List<String> changed = out.toString().lines().skip(1).toList();
        assertThat(changed).hasSize(2);
        assertThat(changed.get(0))
                .startsWith("SHOW TABLES")
                .contains("agent-7 (issuer agentgate-dev)", "allow -> deny", "candidate: no SHOW or DELETE");
        assertThat(changed.get(1)).endsWith("1 would change");
    }

    @Test
    void whatIfOverOneRecordedSessionWithTheSamePolicyChangesNothingAndExitsWithZero() throws Exception {
        Path today = Files.createDirectories(directory.resolve("today"));
        Files.writeString(today.resolve("today.rego"), """
                package agentgate

                decision := {"action": "allow", "reason": "today"}
                """);

        assertThat(run(
                        "policy",
                        "whatif",
                        "--bundle",
                        today.toString(),
                        "--sessions",
                        agent9,
                        "--config",
                        config.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("0 would change");
    }

    @Test
    void whatIfWithSessionsButNoConfigIsAnError() {
        assertThat(run("policy", "whatif", "--opa-url", "http://127.0.0.1:1", "--sessions", "all"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--sessions and --config go together");
    }

    private int run(String... args) {
        CommandLine command = AgentgateCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
