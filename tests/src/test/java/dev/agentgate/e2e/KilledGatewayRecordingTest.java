package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.Processes;
import dev.agentgate.e2e.env.Recordings;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A recorded gateway process killed with SIGKILL in the middle of a session (a statement running on the backend),
 * with no pause after the client's last answer, loses no statement the client saw complete, and {@code agentgate
 * sessions verify} says where the recording ends.
 */
class KilledGatewayRecordingTest {

    private static final String COMPLETED = "/* before kill -9 */";
    private static final String IN_FLIGHT = "SELECT SLEEP(60) /* in flight at kill -9 */";

    private final MariaDbServer mariadb = MariaDbServer.shared();

    @Test
    void aGatewayKilledRightAfterItsLastAnswerLosesNoStatementTheClientSawCompleteAndVerifySaysWhereTheRecordingEnds()
            throws Exception {
        Path recordings = Recordings.newDirectory("agentgate-killed-recordings-");
        try (OidcIssuer issuer = OidcIssuer.start();
                GatewayProcess killed = GatewayProcess.builder()
                        .issuer(issuer)
                        .target(GatewayExtension.TARGET, mariadb)
                        .recordedTo(recordings)
                        .start()) {
            Connection connection =
                    JdbcClient.CONNECTOR_J.connect(killed, GatewayExtension.TARGET, issuer.valid("agent-killed"));
            Statement statement = connection.createStatement();
            for (int i = 1; i <= 20; i++) {
                statement
                        .executeQuery("SELECT " + i + " AS completed " + COMPLETED)
                        .close();
            }
            CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> {
                try {
                    statement.executeQuery(IN_FLIGHT);
                } catch (Exception expected) {
                    // the gateway dies under it
                }
            });
            awaitRunningOnTheBackend(IN_FLIGHT);
            // No waiting for the recorder: a client gets a statement's answer only once its record is durable.
            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
            awaitDeath(killed);
            inFlight.get(60, TimeUnit.SECONDS);
            connection.close();

            RecordedSession session = Recordings.sessionWith(recordings, sql -> sql.contains(COMPLETED))
                    .orElseThrow(() -> new AssertionError("no recording in " + recordings + " holds the statements: "
                            + Recordings.describe(recordings) + "\ngateway log:\n" + killed.logTail(40)));
            List<RecordedStatement> completed = session.statements().stream()
                    .filter(recorded -> recorded.sql() != null && recorded.sql().contains(COMPLETED))
                    .toList();
            assertThat(completed).hasSize(20);
            assertThat(completed)
                    .allSatisfy(recorded -> assertThat(recorded.outcome()).isEqualTo("ok"));
            long lastRecord = session.records()
                    .get(session.records().size() - 1)
                    .path("n")
                    .asLong();
            assertThat(lastRecord).isEqualTo(completed.get(19).record());

            Recordings.Verified verified = Recordings.verify(killed.configFile(), session.sessionId());
            assertThat(verified.exitCode()).isEqualTo(1);
            assertThat(verified.output()).contains("the segment ends after record " + lastRecord);
        } finally {
            Processes.deleteRecursively(recordings);
        }
    }

    @Test
    void aGatewayKilledTheMomentItsClientGotAnAnswerHasRecordedThatStatement() throws Exception {
        Path recordings = Recordings.newDirectory("agentgate-killed-recordings-");
        try (OidcIssuer issuer = OidcIssuer.start();
                GatewayProcess killed = GatewayProcess.builder()
                        .issuer(issuer)
                        .target(GatewayExtension.TARGET, mariadb)
                        .recordedTo(recordings)
                        .start()) {
            Connection connection = JdbcClient.CONNECTOR_J.connect(
                    killed, GatewayExtension.TARGET, issuer.valid("agent-killed-at-once"));
            Statement statement = connection.createStatement();
            for (int i = 1; i <= 20; i++) {
                statement
                        .executeQuery("SELECT " + i + " AS completed " + COMPLETED)
                        .close();
            }
            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
            awaitDeath(killed);
            connection.close();

            RecordedSession session = Recordings.sessionWith(recordings, sql -> sql.contains(COMPLETED))
                    .orElseThrow(() -> new AssertionError("no recording in " + recordings + " holds the statements: "
                            + Recordings.describe(recordings) + "\ngateway log:\n" + killed.logTail(40)));
            assertThat(session.statements().stream()
                            .filter(recorded ->
                                    recorded.sql() != null && recorded.sql().contains(COMPLETED))
                            .map(RecordedStatement::sql))
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
                            .mapToObj(i -> "SELECT " + i + " AS completed " + COMPLETED)
                            .toList());
        } finally {
            Processes.deleteRecursively(recordings);
        }
    }

    private void awaitRunningOnTheBackend(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (Connection admin = mariadb.connectAsAdmin();
                Statement processes = admin.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (var rows = processes.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = '" + sql + "'")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError(sql + " did not start on the backend");
    }

    private static void awaitDeath(GatewayProcess process) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(process.isAlive()).as("the gateway died of SIGKILL").isFalse();
    }
}
