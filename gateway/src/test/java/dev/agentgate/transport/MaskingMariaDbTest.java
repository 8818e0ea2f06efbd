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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masking end to end: a real MariaDB, a real OPA whose policy masks {@code shop.people.ssn}, the gateway in process
 * and MySQL Connector/J, in the text protocol, with server-side prepared statements and with a cursor.
 */
@Tag("integration")
class MaskingMariaDbTest {

    private static final String POLICY = """
      package agentgate

      reads_people if contains(lower(input.statement.sql), "people")

      decision := {"action": "mask", "reason": "test: ssn is masked", "masks": {"shop.people.ssn": {"strategy": "redact"}}} if {
        reads_people
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not reads_people
      }
      """;

    private static final String WITHHELD = "message withheld by agentgate";

    @TempDir
    static Path directory;

    private static DevGateway gateway;

    @BeforeAll
    static void startEverything() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop;"
                        + "CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11), born DATE);"
                        + "INSERT INTO shop.people VALUES (1, 'Ada', '123-45-6789', '1990-01-02'), (2, 'Bob', NULL, NULL),"
                        + " (3, 'Cy', '987-65-4321', '1985-12-31');",
                MaskingConfig.NONE);
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Connection connect(Map<String, String> properties) throws SQLException {
        return gateway.connect("appdb", "shop", properties);
    }

    /** Every row as "name ssn". */
    private static List<String> namesAndSsns(ResultSet rows) throws SQLException {
        List<String> values = new ArrayList<>();
        while (rows.next()) {
            values.add(rows.getString("name") + " " + rows.getString("ssn"));
        }
        return values;
    }

    @Test
    void aQueryShowsTheMaskedColumnRedactedAndTheOthersClear() throws SQLException {
        try (Connection connection = connect(Map.of());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, name, ssn FROM people ORDER BY id")) {
            assertThat(namesAndSsns(rows)).containsExactly("Ada ***", "Bob null", "Cy ***");
        }
    }

    @Test
    void aServerPreparedStatementShowsTheMaskedColumnRedactedAtEveryExecute() throws SQLException {
        try (Connection connection = connect(Map.of("useServerPrepStmts", "true", "cachePrepStmts", "false"));
                PreparedStatement lookup =
                        connection.prepareStatement("SELECT name, ssn FROM people WHERE id >= ? ORDER BY id")) {
            lookup.setInt(1, 1);
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(namesAndSsns(rows)).containsExactly("Ada ***", "Bob null", "Cy ***");
            }
            lookup.setInt(1, 3);
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(namesAndSsns(rows)).containsExactly("Cy ***");
            }
        }
    }

    @Test
    void rowsFetchedThroughACursorAreMasked() throws SQLException {
        try (Connection connection = connect(Map.of("useServerPrepStmts", "true", "useCursorFetch", "true"));
                PreparedStatement all = connection.prepareStatement("SELECT name, ssn FROM people ORDER BY id")) {
            all.setFetchSize(1);
            try (ResultSet rows = all.executeQuery()) {
                assertThat(namesAndSsns(rows)).containsExactly("Ada ***", "Bob null", "Cy ***");
            }
        }
    }

    @Test
    void rowsSmallAndLargeAreMaskedWithTheirOtherValuesIntactInBothProtocols() throws SQLException {
        // Rows of about 120 bytes, just under and over the size up to which a masked row is copied first, and past
        // a 3-byte length prefix; each with the masked column after the long one.
        String sql = "SELECT p.name, REPEAT('x', l.n) AS filler, p.ssn FROM people p JOIN (SELECT 100 AS n"
                + " UNION ALL SELECT 8150 UNION ALL SELECT 8250 UNION ALL SELECT 70000) l ON p.id = 1 ORDER BY l.n";
        for (String serverPrepared : List.of("false", "true")) {
            try (Connection connection = connect(Map.of("useServerPrepStmts", serverPrepared));
                    PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet rows = statement.executeQuery()) {
                List<String> seen = new ArrayList<>();
                while (rows.next()) {
                    String filler = rows.getString("filler");
                    seen.add(rows.getString("name") + " " + filler.length() + " " + filler.replace("x", "") + " "
                            + rows.getString("ssn"));
                }
                assertThat(seen)
                        .as("server-prepared: %s", serverPrepared)
                        .containsExactly("Ada 100  ***", "Ada 8150  ***", "Ada 8250  ***", "Ada 70000  ***");
            }
        }
    }

    @Test
    void anErrorOfAMaskedStatementBecomesTheGenericRunTimeError() throws SQLException {
        try (Connection connection = connect(Map.of());
                Statement statement = connection.createStatement()) {
            // Strict mode: the clear error would be 1292 "Incorrect date value: '123-45-6789' for column ...".
            assertThatThrownBy(() -> statement.executeUpdate(
                            "INSERT INTO people (id, born) SELECT 9, ssn FROM people WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageEndingWith(
                            "the statement failed at run time (error withheld by agentgate: the statement reads masked columns)")
                    .satisfies(error ->
                            assertThat(((SQLException) error).getErrorCode()).isEqualTo(1105))
                    .satisfies(error ->
                            assertThat(((SQLException) error).getSQLState()).isEqualTo("HY000"));
        }
    }

    @Test
    void aSyntaxErrorOfAMaskedStatementStillSaysTheStatementWasMalformed() throws SQLException {
        try (Connection connection = connect(Map.of());
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT ssn FROM people WHERE"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("syntax error: the server could not parse the statement")
                    .satisfies(error ->
                            assertThat(((SQLException) error).getErrorCode()).isEqualTo(1064))
                    .satisfies(error ->
                            assertThat(((SQLException) error).getSQLState()).isEqualTo("42000"));
        }
    }

    @Test
    void theWarningsOfAMaskedStatementAreNeitherCountedNorShown() throws SQLException {
        try (Connection connection = connect(Map.of());
                Statement statement = connection.createStatement()) {
            try (ResultSet rows =
                    statement.executeQuery("SELECT CAST(ssn AS UNSIGNED) AS n FROM people WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat((Object) statement.getWarnings())
                        .as("warnings announced to the client")
                        .isNull();
            }
            try (ResultSet warnings = statement.executeQuery("SHOW WARNINGS")) {
                assertThat(warnings.next()).as("the warning is still listed").isTrue();
                assertThat(warnings.getInt("Code"))
                        .as("the code is withheld too (CAST warns 1292)")
                        .isEqualTo(1105);
                assertThat(warnings.getString("Message")).startsWith(WITHHELD).doesNotContain("123");
            }
        }
    }
}
