package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's obligations, enforced on the data path against a real MariaDB: {@code max_rows} cuts the result after
 * that many rows with an error (text protocol, binary protocol, cursor fetch) and stops the statement on the server;
 * {@code statement_timeout_ms} cancels the statement on the server; an obligation the gateway does not know refuses
 * the statement. Statements over {@code seq_1_to_*} tables and SLEEP get the subject's obligations; the drivers' own
 * statements none.
 */
class ObligationsTest {

    private static final String POLICY = """
      package agentgate

      sql := object.get(input, ["statement", "sql"], "")

      limits := {
      	"agent-rows": {"max_rows": 5},
      	"agent-timeout": {"statement_timeout_ms": 1000},
      	"agent-crash": {"statement_timeout_ms": 4000},
      	"agent-unknown": {"max_bytes": 100},
      }

      obliged if contains(sql, "seq_1_to")
      obliged if contains(sql, "SLEEP")
      obliged if contains(sql, "agentgate_test.locked")

      decision := {"action": "allow", "reason": "allow: with obligations (test policy)", "obligations": limits[input.identity.subject]} if {
      	obliged
      	limits[input.identity.subject]
      }

      default decision := {"action": "allow", "reason": "allow: without obligations (test policy)"}
      """;
    private static final String LARGE = "SELECT seq FROM seq_1_to_300000";

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
        TestPolicies.write(policies, "obligations.rego", POLICY);
        opaUrl = opa.start(policies);
        return config.opaPolicy(opaUrl).policySetting("timeout", "5s");
    });

    @Test
    void maxRowsCutsATextResultAfterThatManyRowsWithAnErrorThatSaysWhy() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-rows");
                Statement statement = connection.createStatement()) {
            List<Long> received = new ArrayList<>();
            SQLException cut = assertSqlError(
                    () -> readAll(statement.executeQuery(LARGE), received),
                    1317,
                    "70100",
                    "agentgate sent the first 5 rows, the policy's max_rows");
            assertThat(cut.getMessage()).contains("add a LIMIT");
            assertThat(received)
                    .isEmpty(); // Connector/J reads the whole result before returning it: the error comes first
            assertThat(Sql.scalar(connection, "SELECT 'the session goes on'")).isEqualTo("the session goes on");
        }
    }

    @Test
    void maxRowsLetsAStreamingClientReadExactlyThatManyRowsBeforeTheError() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-rows");
                Statement statement =
                        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            List<Long> received = new ArrayList<>();
            assertSqlError(() -> readAll(statement.executeQuery(LARGE), received), 1317, "70100", "max_rows");
            assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void maxRowsLeavesAResultOfExactlyThatManyRowsWhole() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-rows");
                Statement statement = connection.createStatement()) {
            List<Long> received = new ArrayList<>();
            readAll(statement.executeQuery("SELECT seq FROM seq_1_to_5"), received);
            assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void aCutOfAResultTheServerHadAlreadySentWholeDoesNotCancelTheNextStatement() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-rows");
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < 5; i++) {
                assertSqlError(() -> statement.executeQuery("SELECT seq FROM seq_1_to_6"), 1317, "70100", "max_rows");
                assertThat(Sql.scalar(connection, "SELECT SLEEP(0.2) + " + i))
                        .as("the statement after cut %d", i)
                        .isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void maxRowsCutsABinaryProtocolResult() throws Exception {
        try (Connection connection =
                        gateway.connect(JdbcClient.MARIADB_CONNECTOR_J, "agent-rows", "useServerPrepStmts=true");
                PreparedStatement statement =
                        connection.prepareStatement("SELECT seq FROM seq_1_to_300000 WHERE seq > ?")) {
            statement.setLong(1, 0);
            assertSqlError(() -> readAll(statement.executeQuery(), new ArrayList<>()), 1317, "70100", "max_rows");
            statement.setLong(1, 299_998);
            List<Long> few = new ArrayList<>();
            readAll(statement.executeQuery(), few);
            assertThat(few).as("a later execution has its own budget").containsExactly(299_999L, 300_000L);
        }
    }

    @Test
    void maxRowsCountsTheRowsOfAllFetchesOfACursor() throws Exception {
        try (Connection connection = gateway.connect(
                        JdbcClient.CONNECTOR_J, "agent-rows", "useCursorFetch=true", "defaultFetchSize=2");
                PreparedStatement statement = connection.prepareStatement(LARGE)) {
            List<Long> received = new ArrayList<>();
            assertSqlError(() -> readAll(statement.executeQuery(), received), 1317, "70100", "max_rows");
            assertThat(received).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void maxRowsStopsTheStatementOnTheServer() throws Exception {
        String sql = "SELECT seq, SLEEP(0.001) FROM seq_1_to_300000 /* max_rows_stops */";
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-rows");
                Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            assertSqlError(() -> statement.executeQuery(sql), 1317, "70100", "max_rows");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(RunningStatements.count("max_rows_stops")).isZero();
        }
    }

    @Test
    void statementTimeoutCancelsTheStatementOnTheServer() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-timeout");
                Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            assertSqlError(
                    () -> statement.executeQuery("SELECT SLEEP(20) AS timeout_cancels"),
                    1969,
                    "70100",
                    "agentgate's statement_timeout_ms of 1000 ms");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(RunningStatements.count("timeout_cancels")).isZero();
            assertThat(Sql.scalar(connection, "SELECT 'the session goes on'")).isEqualTo("the session goes on");
        }
    }

    @Test
    void statementTimeoutCancelsAPreparedStatementOnTheServer() throws Exception {
        try (Connection connection =
                        gateway.connect(JdbcClient.MARIADB_CONNECTOR_J, "agent-timeout", "useServerPrepStmts=true");
                PreparedStatement statement = connection.prepareStatement("SELECT SLEEP(?) AS prepared_timeout")) {
            statement.setInt(1, 20);
            assertSqlError(statement::executeQuery, 1969, "70100", "statement_timeout_ms");
            assertThat(RunningStatements.count("prepared_timeout")).isZero();
        }
    }

    @Test
    void statementTimeoutBoundsASelectOnTheServerWhenTheGatewayCrashes() throws Exception {
        try (GatewayProcess crashing = GatewayProcess.builder()
                .issuer(gateway.issuer())
                .target(GatewayExtension.TARGET, MariaDbServer.shared())
                .opaPolicy(opaUrl)
                .policySetting("timeout", "5s")
                .start()) {
            Connection connection = JdbcClient.CONNECTOR_J.connect(
                    crashing, GatewayExtension.TARGET, gateway.issuer().valid("agent-crash"));
            AutoCloseable lock = RunningStatements.lockedRow();
            CompletableFuture.runAsync(() -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeQuery(RunningStatements.waitingForTheLock("orphan_of_a_crash"));
                } catch (Exception expected) {
                    // the gateway is killed under it
                }
            });
            assertThat(RunningStatements.awaitRunning("orphan_of_a_crash", Duration.ofSeconds(10)))
                    .isTrue();
            ProcessHandle.of(crashing.pid()).orElseThrow().destroyForcibly(); // SIGKILL: the gateway cancels nothing
            long killed = System.nanoTime();

            assertThat(RunningStatements.awaitGone("orphan_of_a_crash", Duration.ofSeconds(10)))
                    .as("MariaDB itself stops the orphan at max_statement_time")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(8));
            lock.close();
        }
    }

    @Test
    void anObligationTheGatewayDoesNotKnowRefusesTheStatement() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-unknown")) {
            assertSqlError(
                    () -> Sql.scalar(connection, "SELECT COUNT(*) FROM seq_1_to_10"),
                    1142,
                    "42000",
                    "unknown obligation 'max_bytes'");
        }
    }

    private static void readAll(ResultSet rs, List<Long> into) throws SQLException {
        try (rs) {
            while (rs.next()) {
                into.add(rs.getLong(1));
            }
        }
    }
}
