package dev.agentgate.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MariaDbServerTest {

    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void letsTheServiceUserWorkInTheTestSchemaOverTls() throws SQLException {
        try (Connection connection = server.connectAsServiceUser();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT CURRENT_USER(), DATABASE(), @@have_ssl,"
                                + " (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(MariaDbServer.SERVICE_USER + "@%");
            assertThat(rs.getString(2)).isEqualTo(MariaDbServer.SCHEMA);
            assertThat(rs.getString(3)).isEqualTo("YES");
            assertThat(rs.getString(4)).isNotEmpty();
        }
    }

    @Test
    void hasNoAnonymousUsers() throws SQLException {
        try (Connection connection = server.connectAsAdmin();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM mysql.user WHERE User = ''")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void runsWithPerformanceSchemaAndA64MebibytePacketLimit() throws SQLException {
        try (Connection connection = server.connectAsAdmin();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@performance_schema, @@max_allowed_packet")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(64L * 1024 * 1024);
        }
    }
}
