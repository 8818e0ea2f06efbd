package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.MaskingConfig;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reask_on_execute end to end: a real MariaDB, a real OPA with a policy written here, the gateway in process
 * and MySQL Connector/J with server-side prepared statements.
 */
@Tag("integration")
class ReaskOnExecuteMariaDbTest {

    /** Allows everything, but the lookup by id is decided again at each EXECUTE, and id 42 is off limits. */
    private static final String POLICY = """
      package agentgate

      by_id if contains(input.statement.sql, "WHERE id = ?")

      decision := {"action": "allow", "reason": "test: prepare by id, ask again at execute", "reask_on_execute": true} if {
        input.command.type == "prepare"
        by_id
      }

      decision := {"action": "allow", "reason": "test: prepare"} if {
        input.command.type == "prepare"
        not by_id
      }

      decision := {"action": "deny", "reason": "test: item 42 is off limits"} if {
        input.command.type == "execute"
        input.command.parameters[0] == 42
      }

      decision := {"action": "allow", "reason": "test: execute"} if {
        input.command.type == "execute"
        not input.command.parameters[0] == 42
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not input.command.type in {"prepare", "execute"}
      }
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;

    @BeforeAll
    static void startEverything() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));"
                        + "INSERT INTO shop.items VALUES (1, 'one'), (42, 'secret');",
                MaskingConfig.NONE);
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Connection connect() throws SQLException {
        return gateway.connect("appdb", "shop", Map.of("useServerPrepStmts", "true", "cachePrepStmts", "false"));
    }

    private static String nameOf(PreparedStatement lookup, int id) throws SQLException {
        lookup.setInt(1, id);
        try (ResultSet rows = lookup.executeQuery()) {
            assertThat(rows.next()).as("a row for id " + id).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void decidesEachExecuteWithItsBoundValueAndKeepsTheSessionAfterADeny() throws SQLException {
        try (Connection connection = connect();
                PreparedStatement lookup = connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            assertThat(nameOf(lookup, 1)).isEqualTo("one");

            assertThatThrownBy(() -> nameOf(lookup, 42))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("test: item 42 is off limits")
                    .satisfies(error ->
                            assertThat(((SQLException) error).getSQLState()).isEqualTo("42000"));

            assertThat(nameOf(lookup, 1)).isEqualTo("one");
        }
    }
}
