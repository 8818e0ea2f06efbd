package dev.agentgate.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * However a session ends (its token expires, its client goes away), nothing of it runs on: not a statement on the
 * database (information_schema.PROCESSLIST of the real MariaDB is the witness), not a verdict that arrives late, not
 * the session's objects in the gateway's memory.
 */
class SessionEndTest {

    /** Statements wait for OPA: long enough for a frozen OPA to be thawed before the gateway gives up. */
    private static final String DECISION_TIME_LIMIT = "30s";

    @TempDir
    static Path workDirectory;

    private static String opaUrl;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(config -> {
        Path policies = workDirectory.resolve("policies");
        TestPolicies.write(policies, "allow.rego", TestPolicies.ALLOW_ALL);
        opaUrl = opa.start(policies);
        return config.opaPolicy(opaUrl).policySetting("timeout", DECISION_TIME_LIMIT);
    });

    @Test
    void aStatementRunningAtTokenExpiryIsCancelledOnTheServerAndTheSessionEndsWithTokenExpired() throws Exception {
        String token = gateway.issuer().token("agent-expiring").ttlSeconds(6).mint();
        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token);
                Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            // Connector/J reports MariaDB's 4031 (the server closed the connection) as a communications error, code 0.
            Throwable ended = catchThrowable(() -> statement.executeQuery("SELECT SLEEP(30) AS at_token_expiry"));
            assertThat(ended).isInstanceOf(SQLException.class).hasMessageContaining("token expired");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(12));
            assertThat(RunningStatements.count("at_token_expiry")).isZero();
        }
    }

    @Test
    void aClientThatDisconnectsMidStatementLeavesNothingRunningOnTheServer() throws Exception {
        AutoCloseable lock = RunningStatements.lockedRow();
        Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-leaving");
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(RunningStatements.waitingForTheLock("left_behind"));
            } catch (Exception expected) {
                // the connection is aborted below
            }
        });
        assertThat(RunningStatements.awaitRunning("left_behind", Duration.ofSeconds(10)))
                .isTrue();
        connection.abort(Runnable::run);

        assertThat(RunningStatements.awaitGone("left_behind", Duration.ofSeconds(3)))
                .as("the statement of the client that left is no longer running")
                .isTrue();
        lock.close();
        running.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStatementStillRunningWhenTheShutdownGraceIsOverIsStoppedOnTheServer() throws Exception {
        GatewayProcess stopping = GatewayProcess.builder()
                .issuer(gateway.issuer())
                .target(GatewayExtension.TARGET, MariaDbServer.shared())
                .opaPolicy(opaUrl)
                .policySetting("timeout", DECISION_TIME_LIMIT)
                .start(); // shutdown_grace: 1s
        Connection connection = JdbcClient.CONNECTOR_J.connect(
                stopping, GatewayExtension.TARGET, gateway.issuer().valid("agent-shutdown"));
        try (AutoCloseable lock = RunningStatements.lockedRow()) {
            CompletableFuture.runAsync(() -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeQuery(RunningStatements.waitingForTheLock("at_shutdown"));
                } catch (SQLException expected) {
                    // the gateway shuts down under it
                }
            });
            assertThat(RunningStatements.awaitRunning("at_shutdown", Duration.ofSeconds(10)))
                    .isTrue();

            stopping.close(); // SIGTERM, returns once the process has exited

            assertThat(RunningStatements.awaitGone("at_shutdown", Duration.ofSeconds(2)))
                    .as("the statement of a session the shutdown closed")
                    .isTrue();
        }
    }

    @Test
    void aVerdictThatArrivesAfterTheTokenExpiredIsDropped() throws Exception {
        MariaDbServer.shared()
                .execute(
                        "CREATE TABLE IF NOT EXISTS agentgate_test.late_verdicts (n INT)",
                        "DELETE FROM agentgate_test.late_verdicts");
        String token = gateway.issuer().token("agent-late").ttlSeconds(6).mint();
        Instant expiry = Instant.now().plusSeconds(6);
        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token);
                Statement statement = connection.createStatement()) {
            opa.freeze();
            try {
                CompletableFuture<SQLException> insert = CompletableFuture.supplyAsync(() -> {
                    try {
                        statement.executeUpdate("INSERT INTO agentgate_test.late_verdicts VALUES (1)");
                        return null;
                    } catch (SQLException refused) {
                        return refused;
                    }
                });
                SQLException ended =
                        insert.get(Duration.between(Instant.now(), expiry).toMillis() + 4000, TimeUnit.MILLISECONDS);
                assertThat((Object) ended)
                        .as("the client is told at expiry, not when the verdict comes")
                        .isNotNull();
                assertThat(ended.getMessage()).contains("token expired");
            } finally {
                opa.thaw();
            }
        }
        Thread.sleep(2000); // the verdict has come by now (OPA answers in milliseconds once thawed)
        try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
            assertThat(Sql.scalar(admin, "SELECT COUNT(*) FROM agentgate_test.late_verdicts"))
                    .isEqualTo("0");
        }
    }

    @Test
    void aClosedSessionIsNoLongerHeldInTheGatewaysMemory() throws Exception {
        for (int i = 0; i < 20; i++) {
            // Valid for an hour: the session's expiry close is scheduled that far ahead.
            try (Connection connection = gateway.connectWithToken(
                    JdbcClient.CONNECTOR_J,
                    gateway.issuer().token("agent-memory-" + i).ttlSeconds(3600).mint())) {
                assertThat(Sql.scalar(connection, "SELECT 1")).isEqualTo("1");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int live;
        do {
            Thread.sleep(200);
            live = liveInstances("dev.agentgate.transport.CommandRelay");
        } while (live > 0 && System.nanoTime() < deadline);
        assertThat(live)
                .as("CommandRelay instances left in the gateway's heap after every session closed")
                .isZero();
    }

    /** Instances of {@code className} in the gateway's heap after a full GC (jcmd GC.class_histogram forces one). */
    private static int liveInstances(String className) throws Exception {
        Process jcmd = new ProcessBuilder(
                        "jcmd", Long.toString(gateway.process().pid()), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Matcher line = Pattern.compile(
                        "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\s*$", Pattern.MULTILINE)
                .matcher(histogram);
        List<Integer> counts = new ArrayList<>();
        while (line.find()) {
            counts.add(Integer.parseInt(line.group(1)));
        }
        assertThat(histogram).as("jcmd output").contains("num");
        return counts.isEmpty() ? 0 : counts.get(0);
    }
}
