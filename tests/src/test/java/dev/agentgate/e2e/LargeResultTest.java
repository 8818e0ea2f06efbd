package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Results far larger than the gateway's heap are streamed, and a client leaving mid-result frees its backend. */
class LargeResultTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.javaOptions("-Xmx128m"));

    private static final MariaDbServer mariadb = MariaDbServer.shared();
    private static final long TWO_MILLION = 2_000_000;
    /** About 150 bytes a row: some 300 MB in all, more than twice the gateway's heap. */
    private static final String LARGE_QUERY =
            "SELECT seq, REPEAT('agentgate streams rows without buffering them ', 3) FROM seq_1_to_" + TWO_MILLION;

    @Test
    void streamsTwoMillionRowsThroughAGatewayWith128MebibytesOfHeap() throws SQLException {
        long rows = 0;
        long sum = 0;
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-large");
                Statement statement =
                        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = statement.executeQuery(LARGE_QUERY)) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                }
            }
        }
        assertThat(rows).isEqualTo(TWO_MILLION);
        assertThat(sum).isEqualTo(TWO_MILLION * (TWO_MILLION + 1) / 2);
        assertThat(gateway.process().isAlive()).isTrue();
    }

    @Test
    void closesTheBackendConnectionOfAClientThatDisconnectsMidResult() throws Exception {
        Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-leaver");
        long backendId = Long.parseLong(Sql.scalar(connection, "SELECT CONNECTION_ID()"));
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(Integer.MIN_VALUE);
        ResultSet rs = statement.executeQuery(LARGE_QUERY);
        for (int i = 0; i < 1000; i++) {
            assertThat(rs.next()).isTrue();
        }
        connection.abort(Runnable::run); // closes the socket without draining the result

        assertThat(awaitGoneFromProcesslist(backendId))
                .as("backend connection " + backendId + " closed")
                .isTrue();
        try (Connection next = gateway.connect(JdbcClient.MARIADB_CONNECTOR_J, "agent-next")) {
            assertThat(Sql.scalar(next, "SELECT 'served'")).isEqualTo("served");
        }
    }

    private static boolean awaitGoneFromProcesslist(long backendId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (Connection admin = mariadb.connectAsAdmin()) {
            while (System.nanoTime() < deadline) {
                if (Sql.rows(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = " + backendId)
                        .isEmpty()) {
                    return true;
                }
                Thread.sleep(100);
            }
        }
        return false;
    }
}
