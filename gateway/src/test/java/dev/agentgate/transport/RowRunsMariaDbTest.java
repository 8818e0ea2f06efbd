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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large results relayed a read at a time ({@link dev.agentgate.protocol.MySQLFrameRun}) against a real MariaDB: rows
 * whose first bytes take every form a text row starts with (each length prefix 0x00-0xFA, 0xFC, 0xFD, and NULL's
 * 0xFB) and binary rows among them, many per read, a few that straddle reads; every value arrives as MariaDB sent it,
 * a masked column is masked in every row, and {@code max_rows} cuts at exactly its row. Both protocols, both
 * Connector/Js.
 */
@Tag("integration")
class RowRunsMariaDbTest {

    private static final int ROWS = 3000;
    private static final int CAP = 2345;

    private static final String POLICY = """
      package agentgate

      default sql := ""

      sql := lower(input.statement.sql)

      decision := {"action": "mask", "reason": "test", "masks": {"shop.wide.secret": {"strategy": "redact"}}} if {
        contains(sql, "secret")
      }

      decision := {"action": "allow", "reason": "test", "obligations": {"max_rows": %d}} if {
        contains(sql, "capped")
        not contains(sql, "secret")
      }

      decision := {"action": "allow", "reason": "test"} if {
        not contains(sql, "secret")
        not contains(sql, "capped")
      }
      """.formatted(CAP);

    /** First column: NULL, '' and 1-300 characters in turn, and now and then 64 KiB and more (prefix 0xFD). */
    private static final String FIRST = "CASE WHEN seq % 301 = 300 THEN NULL WHEN seq % 500 = 7"
            + " THEN REPEAT('y', 65536 + seq) ELSE REPEAT('a', seq % 301) END";

    private static DevGateway gateway;

    @BeforeAll
    static void startEverything(@TempDir Path directory) throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop;"
                        + "CREATE TABLE shop.wide (id INT PRIMARY KEY, first MEDIUMTEXT, secret VARCHAR(20));"
                        + "INSERT INTO shop.wide SELECT seq, " + FIRST + ", CONCAT('s-', seq) FROM shop.seq_1_to_"
                        + ROWS
                        + ";",
                MaskingConfig.NONE);
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql text", "mysql binary", "mariadb text", "mariadb binary"})
    void everyRowOfALargeResultArrivesAsMariaDbSentItWhateverItsFirstBytes(String client) throws SQLException {
        assertThat(read(client, "SELECT first, id FROM wide ORDER BY id", false))
                .as("first column, id")
                .isEqualTo(expected(ROWS, false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql text", "mysql binary", "mariadb text", "mariadb binary"})
    void everyRowOfALargeMaskedResultIsMaskedWithItsOtherValuesIntact(String client) throws SQLException {
        assertThat(read(client, "SELECT first, id, secret FROM wide ORDER BY id", true))
                .as("first column, id, masked secret")
                .isEqualTo(expected(ROWS, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql text", "mysql binary"})
    void maxRowsCutsALargeResultAtExactlyItsRow(String client) throws SQLException {
        List<String> received = new ArrayList<>();

        assertThatThrownBy(() -> read(client, "SELECT first, id FROM wide /* capped */ ORDER BY id", false, received))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317))
                .hasMessageContaining("max_rows");
        assertThat(received).isEqualTo(expected(CAP, false));
    }

    private static List<String> read(String client, String sql, boolean masked) throws SQLException {
        List<String> received = new ArrayList<>();
        read(client, sql, masked, received);
        return received;
    }

    /** Streams the result (row by row where the driver can) into {@code received}, one line per row. */
    private static void read(String client, String sql, boolean masked, List<String> received) throws SQLException {
        boolean binary = client.endsWith("binary");
        Map<String, String> options = Map.of("useServerPrepStmts", Boolean.toString(binary));
        try (Connection connection = client.startsWith("mariadb")
                        ? gateway.connectWithMariaDbDriver("appdb", "shop", options)
                        : gateway.connect("appdb", "shop", options);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (client.startsWith("mysql")) {
                statement.setFetchSize(Integer.MIN_VALUE); // streaming: the rows before a cut are seen
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    received.add(line(rows.getString(1), rows.getInt(2), masked ? rows.getString(3) : null));
                }
            }
        }
    }

    /** The first {@code count} rows as MariaDB holds them (the secret as masked when {@code masked}). */
    private static List<String> expected(int count, boolean masked) {
        List<String> rows = new ArrayList<>();
        for (int seq = 1; seq <= count; seq++) {
            String first = seq % 301 == 300 ? null : seq % 500 == 7 ? "y".repeat(65536 + seq) : "a".repeat(seq % 301);
            rows.add(line(first, seq, masked ? "***" : null));
        }
        return rows;
    }

    /** A row as a short line, so failures stay legible: the first column as its length and hash (or NULL). */
    private static String line(String first, int id, String secret) {
        String head = first == null ? "NULL" : first.length() + "#" + Integer.toHexString(first.hashCode());
        return head + " " + id + (secret == null ? "" : " " + secret);
    }
}
