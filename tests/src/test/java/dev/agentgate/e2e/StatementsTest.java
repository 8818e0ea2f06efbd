package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Statements relayed unchanged: multi-results, server errors, transactions, server-side cursors. */
class StatementsTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @BeforeAll
    static void startGateway() {
        mariadb.execute(
                "DROP TABLE IF EXISTS tx_items", "CREATE TABLE tx_items (id INT PRIMARY KEY, note VARCHAR(20))");
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void returnsEveryResultOfAMultiStatementQueryInOrder(JdbcClient client) throws SQLException {
        try (Connection connection = connect(client, "allowMultiQueries=true");
                Statement statement = connection.createStatement()) {
            boolean isResultSet = statement.execute("SELECT 1 AS a; SELECT 'two' AS b, 2 AS c; DO 0; SELECT 3 AS d");
            assertThat(collectResults(statement, isResultSet))
                    .containsExactly("[[1]]", "[[two, 2]]", "update 0", "[[3]]");
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void stopsAMultiStatementQueryAtTheFailingStatementAndStaysUsable(JdbcClient client) throws SQLException {
        try (Connection connection = connect(client, "allowMultiQueries=true");
                Statement statement = connection.createStatement()) {
            assertSqlError(
                    () -> collectResults(
                            statement, statement.execute("SELECT 1; SELECT * FROM no_such_table; SELECT 3")),
                    1146);
            assertThat(Sql.scalar(connection, "SELECT 4")).isEqualTo("4");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM no_such_table",
                "SELEC 1",
                "SELECT no_such_column FROM tx_items",
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom failure 😀', MYSQL_ERRNO = 1644",
                "INSERT INTO tx_items (id) VALUES (NULL)"
            })
    void passesServerErrorsThroughWithTheirCodeStateAndMessage(String sql) throws SQLException {
        SQLException direct = failure(JdbcClient.CONNECTOR_J.connectDirect(mariadb), sql);
        SQLException viaGateway = failure(connect(JdbcClient.CONNECTOR_J), sql);
        assertThat(viaGateway.getErrorCode()).isEqualTo(direct.getErrorCode()).isNotZero();
        assertThat(viaGateway.getSQLState()).isEqualTo(direct.getSQLState());
        assertThat(viaGateway.getMessage()).isEqualTo(direct.getMessage());
    }

    @Test
    void discardsARolledBackInsert() throws SQLException {
        try (Connection connection = connect(JdbcClient.CONNECTOR_J)) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO tx_items (id, note) VALUES (1, 'rolled back')");
            assertThat(countDirectly("id = 1"))
                    .as("uncommitted row seen by another session")
                    .isZero();
            connection.rollback();
            assertThat(Sql.scalar(connection, "SELECT COUNT(*) FROM tx_items WHERE id = 1"))
                    .isEqualTo("0");
        }
        assertThat(countDirectly("id = 1")).isZero();
    }

    @Test
    void makesACommittedInsertVisibleToOtherSessions() throws SQLException {
        try (Connection connection = connect(JdbcClient.MARIADB_CONNECTOR_J)) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO tx_items (id, note) VALUES (2, 'committed')");
            connection.commit();
        }
        assertThat(countDirectly("id = 2 AND note = 'committed'")).isEqualTo(1);
    }

    @Test
    void fetchesTenThousandRowsThroughAServerSideCursorInBatchesOfAHundred() throws SQLException {
        try (Connection connection = connect(JdbcClient.CONNECTOR_J, "useCursorFetch=true");
                PreparedStatement statement = connection.prepareStatement("SELECT seq FROM seq_1_to_10000")) {
            statement.setFetchSize(100);
            long rows = 0;
            long sum = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                }
            }
            assertThat(rows).isEqualTo(10_000);
            assertThat(sum).isEqualTo(50_005_000L);
            assertThat(Sql.row(connection, "SHOW SESSION STATUS LIKE 'Com_stmt_fetch'")
                            .get(1))
                    .satisfies(fetches -> assertThat(Long.parseLong(fetches)).isGreaterThanOrEqualTo(100));
        }
    }

    private static Connection connect(JdbcClient client, String... options) throws SQLException {
        return gateway.connect(client, "agent-statements", options);
    }

    private static SQLException failure(Connection connection, String sql) throws SQLException {
        try (connection;
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected a server error from " + sql);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long countDirectly(String condition) throws SQLException {
        try (Connection direct = mariadb.connectAsAdmin()) {
            return Long.parseLong(Sql.scalar(direct, "SELECT COUNT(*) FROM tx_items WHERE " + condition));
        }
    }

    /** Each result of an executed statement: a result set as its rows, or "update N". */
    private static List<String> collectResults(Statement statement, boolean isResultSet) throws SQLException {
        List<String> results = new ArrayList<>();
        while (true) {
            if (isResultSet) {
                try (ResultSet rs = statement.getResultSet()) {
                    results.add(Sql.rows(rs).toString());
                }
            } else {
                int updateCount = statement.getUpdateCount();
                if (updateCount == -1) {
                    return results;
                }
                results.add("update " + updateCount);
            }
            isResultSet = statement.getMoreResults();
        }
    }
}
