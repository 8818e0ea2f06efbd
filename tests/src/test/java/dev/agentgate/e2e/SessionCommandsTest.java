package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Protocol commands other than queries: COM_INIT_DB, COM_PING, COM_RESET_CONNECTION, COM_CHANGE_USER, KILL.
 * KILL takes either id a client sees for a session: the connection id the gateway announced in its greeting (what
 * drivers report and what Connector/J's Statement.cancel() sends) or the backend thread id (CONNECTION_ID()).
 */
class SessionCommandsTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void switchesTheDefaultSchemaWithSetCatalog(JdbcClient client) throws SQLException {
        try (Connection connection = connect(client, "alice")) {
            connection.setCatalog("information_schema");
            assertThat(Sql.scalar(connection, "SELECT DATABASE()")).isEqualTo("information_schema");
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void answersAPing(JdbcClient client) throws SQLException {
        try (Connection connection = connect(client, "alice")) {
            assertThat(connection.isValid(5)).isTrue();
            assertThat(Sql.scalar(connection, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void clearsSessionStateOnResetConnection() throws SQLException {
        try (Connection connection = connect(JdbcClient.MARIADB_CONNECTOR_J, "alice", "useResetConnection=true")) {
            execute(connection, "SET @marker = 42");
            connection.unwrap(org.mariadb.jdbc.Connection.class).reset();
            assertThat(Sql.scalar(connection, "SELECT @marker")).isNull();
            assertThat(Sql.scalar(connection, "SELECT CURRENT_USER()")).isEqualTo(MariaDbServer.SERVICE_USER + "@%");
        }
    }

    @Test
    void changeUserWithANewTokenResetsTheSessionAndSwitchesTheIdentity() throws SQLException {
        try (Connection pooled = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection aliceOther = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection bobOther = connect(JdbcClient.CONNECTOR_J, "bob")) {
            execute(pooled, "SET @marker = 42");
            pooled.unwrap(JdbcConnection.class)
                    .changeUser("appdb", gateway.issuer().valid("bob"));
            assertThat(Sql.scalar(pooled, "SELECT @marker"))
                    .as("the previous identity's variables")
                    .isNull();
            assertThat(Sql.scalar(pooled, "SELECT DATABASE()")).isEqualTo(mariadb.schema());
            assertSqlError(
                    () -> execute(pooled, "KILL QUERY " + Sql.scalar(aliceOther, "SELECT CONNECTION_ID()")), 1095);
            execute(pooled, "KILL QUERY " + Sql.scalar(bobOther, "SELECT CONNECTION_ID()"));
            assertThat(aliceOther.isValid(2)).isTrue();
        }
    }

    /** MariaDB Connector/J 3 sends no COM_CHANGE_USER at all (it has no changeUser); mysql2 does. */
    @Test
    void changeUserFromMysql2ResetsTheSessionAndSwitchesTheIdentity() throws SQLException {
        try (Connection aliceOther = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection bobOther = connect(JdbcClient.CONNECTOR_J, "bob")) {
            String aliceThread = Sql.scalar(aliceOther, "SELECT CONNECTION_ID()");
            String bobThread = Sql.scalar(bobOther, "SELECT CONNECTION_ID()");
            ClientScript.Result result = ClientScript.NODE_MYSQL2_POOL.run(
                    gateway.process().host(),
                    gateway.process().port(),
                    GatewayExtension.TARGET,
                    gateway.issuer().valid("alice"),
                    null,
                    null,
                    "",
                    Map.of(
                            "AGENTGATE_QUERIES",
                            "[[\"SET @marker = 42\"], [\"SELECT @marker\", \"KILL QUERY " + aliceThread
                                    + "\", \"KILL QUERY " + bobThread + "\"]]",
                            "AGENTGATE_CHANGE_USER_TOKEN",
                            gateway.issuer().valid("bob"),
                            "AGENTGATE_RESET_ON_RELEASE",
                            "false"));

            assertThat(result.exitCode()).as("pool.js: %s", result.stderr()).isZero();
            assertThat(result.lines()).hasSize(4);
            assertThat(result.lines().get(1)).isEqualTo("ok\tNULL");
            assertThat(result.lines().get(2)).startsWith("error\t1095");
            assertThat(result.lines().get(3)).startsWith("ok");
        }
    }

    @Test
    void changeUserWithABadTokenEndsTheSessionWithAccessDenied() throws SQLException {
        try (Connection connection = connect(JdbcClient.CONNECTOR_J, "alice")) {
            assertSqlError(
                    () -> connection
                            .unwrap(JdbcConnection.class)
                            .changeUser("appdb", gateway.issuer().expired("alice")),
                    1045);
            assertThat(connection.isValid(2)).isFalse();
        }
    }

    @Test
    void interruptsARunningQueryOfTheSameIdentityWithKillQuery() throws Exception {
        try (Connection sleeper = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection killer = connect(JdbcClient.CONNECTOR_J, "alice")) {
            long sleeperId = sleeper.unwrap(JdbcConnection.class).getId();
            CompletableFuture<SQLException> sleeping =
                    CompletableFuture.supplyAsync(() -> failureOf(sleeper, "SELECT SLEEP(30)"));
            awaitQueryRunning("SELECT SLEEP(30)");
            long start = System.nanoTime();
            execute(killer, "KILL QUERY " + sleeperId);
            SQLException interrupted = sleeping.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(interrupted == null ? 0 : interrupted.getErrorCode())
                    .as("error of the interrupted SLEEP")
                    .isEqualTo(1317);
            assertThat(Sql.scalar(sleeper, "SELECT 'still usable'")).isEqualTo("still usable");
        }
    }

    @Test
    void refusesToKillASessionOfAnotherIdentity() throws SQLException {
        try (Connection alice = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection mallory = connect(JdbcClient.CONNECTOR_J, "mallory")) {
            long aliceId = alice.unwrap(JdbcConnection.class).getId();
            assertSqlError(() -> execute(mallory, "KILL " + aliceId), 1095);
            assertSqlError(() -> execute(mallory, "KILL QUERY " + aliceId), 1095);
            assertThat(alice.isValid(5)).isTrue();
            assertThat(Sql.scalar(alice, "SELECT 'alive'")).isEqualTo("alive");
        }
    }

    @Test
    void killQueryOfTheIdConnectionIdReturnsInterruptsThatSession() throws Exception {
        try (Connection sleeper = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection killer = connect(JdbcClient.CONNECTOR_J, "alice")) {
            String sleeperId = Sql.scalar(sleeper, "SELECT CONNECTION_ID()");
            CompletableFuture<SQLException> sleeping =
                    CompletableFuture.supplyAsync(() -> failureOf(sleeper, "SELECT SLEEP(31)"));
            awaitQueryRunning("SELECT SLEEP(31)");
            execute(killer, "KILL QUERY " + sleeperId);
            SQLException interrupted = sleeping.get(10, TimeUnit.SECONDS);
            assertThat(interrupted == null ? 0 : interrupted.getErrorCode())
                    .as("error of the interrupted SLEEP")
                    .isEqualTo(1317);
            assertThat(Sql.scalar(killer, "SELECT 'killer untouched'")).isEqualTo("killer untouched");
        }
    }

    @Test
    void aKillBehindACommentOfAnotherIdentitysBackendThreadIsRefused() throws SQLException {
        try (Connection alice = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection mallory = connect(JdbcClient.CONNECTOR_J, "mallory")) {
            String aliceThread = Sql.scalar(alice, "SELECT CONNECTION_ID()");
            assertSqlError(() -> execute(mallory, "/* c */ KILL " + aliceThread), 1095);
            assertSqlError(() -> execute(mallory, "# c\nkill connection " + aliceThread), 1095);
            assertSqlError(() -> execute(mallory, "/*!KILL QUERY " + aliceThread + " */"), 1095);
            assertThat(Sql.scalar(alice, "SELECT 'alive'")).isEqualTo("alive");
        }
    }

    @Test
    void aKillInsideADynamicStatementIsRefusedAndKillsNothing() throws SQLException {
        try (Connection alice = connect(JdbcClient.CONNECTOR_J, "alice");
                Connection mallory = connect(JdbcClient.CONNECTOR_J, "mallory")) {
            String aliceThread = Sql.scalar(alice, "SELECT CONNECTION_ID()");
            assertSqlError(() -> execute(mallory, "EXECUTE IMMEDIATE 'KILL " + aliceThread + "'"), 1235);
            assertSqlError(() -> execute(mallory, "PREPARE k FROM '/* c */ KILL " + aliceThread + "'"), 1235);
            assertThat(Sql.scalar(alice, "SELECT 'alive'")).isEqualTo("alive");
        }
    }

    @Test
    void aBatchWithMariaDbBulkStatementsOnRunsEveryRow() throws SQLException {
        try (Connection connection = connect(JdbcClient.MARIADB_CONNECTOR_J, "alice", "useBulkStmts=true")) {
            execute(connection, "CREATE TEMPORARY TABLE bulk_rows (id INT PRIMARY KEY, label VARCHAR(10))");
            try (java.sql.PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO bulk_rows VALUES (?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row " + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            assertThat(Sql.scalar(connection, "SELECT GROUP_CONCAT(label ORDER BY id) FROM bulk_rows"))
                    .isEqualTo("row 1,row 2,row 3,row 4,row 5");
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE local_rows",
                "/* c */ load data local infile '/etc/hostname' into table local_rows",
                "/*!LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE local_rows*/"
            })
    void loadDataLocalIsRefusedHoweverItIsWritten(String sql) throws SQLException {
        try (Connection connection = connect(JdbcClient.CONNECTOR_J, "alice", "allowLoadLocalInfile=true")) {
            execute(connection, "CREATE TEMPORARY TABLE local_rows (line TEXT)");
            assertSqlError(() -> execute(connection, sql), 1148);
            assertThat(Sql.scalar(connection, "SELECT COUNT(*) FROM local_rows"))
                    .isEqualTo("0");
        }
    }

    private static Connection connect(JdbcClient client, String subject, String... options) throws SQLException {
        return gateway.connect(client, subject, options);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The error {@code sql} ended with, or null when it succeeded. */
    private static SQLException failureOf(Connection connection, String sql) {
        try {
            execute(connection, sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void awaitQueryRunning(String sql) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection admin = mariadb.connectAsAdmin()) {
            while (System.nanoTime() < deadline) {
                if (!Sql.rows(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '" + sql + "'")
                        .isEmpty()) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the query '" + sql + "' never showed up in MariaDB's processlist");
    }
}
