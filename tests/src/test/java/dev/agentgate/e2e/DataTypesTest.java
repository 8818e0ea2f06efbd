package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every MariaDB column type through the gateway, in the text protocol and the binary protocol
 * ({@code useServerPrepStmts=true}), compared with what the same driver reads directly from MariaDB.
 */
class DataTypesTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();
    private static final String COLUMNS =
            "t, tu, s, su, m, mu, i, iu, b, bu, d, f, dbl, dt, tm, dtm, ts, y, bits, e, st," + " j, vc, tx, bl";
    private static final String EMOJI_TEXT = "héllo 😀 wörld ✓ 𝄞";
    private static final int SEVENTEEN_MEBIBYTES = 17 * 1024 * 1024;

    /** The protocol a driver uses for prepared statements. */
    enum Protocol {
        TEXT("useServerPrepStmts=false"),
        BINARY("useServerPrepStmts=true");

        final String option;

        Protocol(String option) {
            this.option = option;
        }
    }

    @BeforeAll
    static void createTablesAndStartGateway() {
        mariadb.execute(
                "DROP TABLE IF EXISTS types",
                "DROP TABLE IF EXISTS blobs",
                "CREATE TABLE types (id INT PRIMARY KEY, t TINYINT, tu TINYINT UNSIGNED, s SMALLINT, su SMALLINT UNSIGNED,"
                        + " m MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, b BIGINT, bu BIGINT UNSIGNED,"
                        + " d DECIMAL(65,30), f FLOAT, dbl DOUBLE, dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL,"
                        + " y YEAR, bits BIT(64), e ENUM('alpha','beta'), st SET('red','green','blue'), j JSON,"
                        + " vc VARCHAR(100), tx TEXT, bl BLOB) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                "INSERT INTO types (id, " + COLUMNS
                        + ") VALUES (1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647,"
                        + " 4294967295, 9223372036854775807, 18446744073709551615,"
                        + " 99999999999999999999999999999999999.999999999999999999999999999999, 3.4028e38, 1.7976931348623157e308,"
                        + " '9999-12-31', '838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 2155,"
                        + " b'1111111111111111111111111111111111111111111111111111111111111111', 'beta', 'red,blue',"
                        + " '{\"a\": [1, 2.5, {\"b\": null}], \"emoji\": \"😀\"}', '" + EMOJI_TEXT + "', REPEAT('"
                        + EMOJI_TEXT
                        + "', 1000), UNHEX(REPEAT('00FF7F80', 64)))",
                "INSERT INTO types (id, " + COLUMNS + ") VALUES (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,"
                        + " -9223372036854775808, 0, -99999999999999999999999999999999999.999999999999999999999999999999,"
                        + " -1.5, -2.2250738585072014e-308, '1000-01-01', '-838:59:59.000000', '1000-01-01 00:00:00.000000',"
                        + " '1970-01-01 00:00:01.000000', 1901, b'0', 'alpha', '', '[]', '', '', '')",
                "INSERT INTO types (id) VALUES (3)",
                "CREATE TABLE blobs (id INT PRIMARY KEY, data LONGBLOB)");
    }

    static Stream<Arguments> clientsAndProtocols() {
        return Stream.of(JdbcClient.values())
                .flatMap(client -> Stream.of(Protocol.values()).map(protocol -> Arguments.of(client, protocol)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndProtocols")
    void readsEveryColumnTypeThroughTheGatewayAsTheSameDriverReadsItDirectly(JdbcClient client, Protocol protocol)
            throws SQLException {
        String query = "SELECT id, " + COLUMNS + " FROM types WHERE id < 10 ORDER BY id";
        List<List<String>> direct;
        try (Connection connection = client.connectDirect(mariadb, protocol.option)) {
            direct = describeRows(connection, query);
        }
        try (Connection connection = gatewayConnection(client, protocol)) {
            assertThat(describeRows(connection, query)).hasSize(3).isEqualTo(direct);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndProtocols")
    void readsExtremeValuesAndNullsExactly(JdbcClient client, Protocol protocol) throws SQLException {
        try (Connection connection = gatewayConnection(client, protocol);
                PreparedStatement select =
                        connection.prepareStatement("SELECT " + COLUMNS + " FROM types WHERE id = ?")) {
            select.setInt(1, 1);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("bu")).isEqualTo("18446744073709551615");
                assertThat(rs.getLong("b")).isEqualTo(Long.MAX_VALUE);
                assertThat(rs.getBigDecimal("d"))
                        .isEqualByComparingTo("99999999999999999999999999999999999.999999999999999999999999999999");
                assertThat(rs.getDouble("dbl")).isEqualTo(Double.MAX_VALUE);
                assertThat(rs.getBytes("bits")).containsOnly((byte) 0xFF).hasSize(8);
                assertThat(rs.getString("vc")).isEqualTo(EMOJI_TEXT);
                assertThat(rs.getString("tx"))
                        .hasSize(EMOJI_TEXT.length() * 1000)
                        .startsWith(EMOJI_TEXT);
                assertThat(rs.getBytes("bl")).hasSize(256).startsWith((byte) 0x00, (byte) 0xFF, (byte) 0x7F, (byte)
                        0x80);
            }
            select.setInt(1, 3);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                    assertThat(rs.getObject(column))
                            .as("column " + rs.getMetaData().getColumnName(column))
                            .isNull();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndProtocols")
    void writesEveryColumnTypeAsParametersThroughTheGatewayAsDirectly(JdbcClient client, Protocol protocol)
            throws SQLException {
        int directId = 100 + 10 * client.ordinal() + 2 * protocol.ordinal();
        try (Connection connection = client.connectDirect(mariadb, protocol.option)) {
            insertTypedValues(connection, directId);
        }
        try (Connection connection = gatewayConnection(client, protocol)) {
            insertTypedValues(connection, directId + 1);
        }
        try (Connection connection = client.connectDirect(mariadb, protocol.option)) {
            List<List<String>> rows = describeRows(
                    connection,
                    "SELECT " + COLUMNS + " FROM types WHERE id IN (" + directId + ", " + (directId + 1)
                            + ") ORDER BY id");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1)).isEqualTo(rows.get(0));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndProtocols")
    void roundTripsA17MebibyteLongblob(JdbcClient client, Protocol protocol) throws Exception {
        int id = 10 * client.ordinal() + protocol.ordinal();
        byte[] data = new byte[SEVENTEEN_MEBIBYTES];
        new Random(id).nextBytes(data);
        try (Connection connection = gatewayConnection(client, protocol)) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO blobs (id, data) VALUES (?, ?)")) {
                insert.setInt(1, id);
                insert.setBytes(2, data);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT data FROM blobs WHERE id = ?")) {
                select.setInt(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBytes(1)).isEqualTo(data);
                }
            }
        }
        try (Connection direct = mariadb.connectAsAdmin()) {
            assertThat(Sql.row(direct, "SELECT LENGTH(data), SHA2(data, 256) FROM blobs WHERE id = " + id))
                    .containsExactly(String.valueOf(SEVENTEEN_MEBIBYTES), sha256(data));
        }
    }

    private static Connection gatewayConnection(JdbcClient client, Protocol protocol) throws SQLException {
        return gateway.connect(client, "agent-types", protocol.option);
    }

    private static void insertTypedValues(Connection connection, int id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO types (id, " + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int p = 1;
            insert.setInt(p++, id);
            insert.setByte(p++, (byte) -5);
            insert.setInt(p++, 200);
            insert.setShort(p++, (short) -30000);
            insert.setInt(p++, 60000);
            insert.setInt(p++, -8000000);
            insert.setInt(p++, 16000000);
            insert.setInt(p++, Integer.MIN_VALUE);
            insert.setLong(p++, 4294967295L);
            insert.setLong(p++, Long.MIN_VALUE);
            insert.setBigDecimal(p++, new BigDecimal("18446744073709551615"));
            insert.setBigDecimal(
                    p++, new BigDecimal("-12345678901234567890123456789012345.123456789012345678901234567890"));
            insert.setFloat(p++, 1.25f);
            insert.setDouble(p++, Math.PI);
            insert.setDate(p++, Date.valueOf("2024-02-29"));
            insert.setString(p++, "12:34:56.789012");
            insert.setTimestamp(p++, Timestamp.valueOf("2024-02-29 12:34:56.789012"));
            insert.setTimestamp(p++, Timestamp.valueOf("2024-02-29 12:34:56.789012"));
            insert.setInt(p++, 2024);
            insert.setLong(p++, 0x0123456789ABCDEFL);
            insert.setString(p++, "beta");
            insert.setString(p++, "green,blue");
            insert.setString(p++, "{\"k\": \"😀\", \"n\": [1, 2]}");
            insert.setString(p++, EMOJI_TEXT);
            insert.setString(p++, EMOJI_TEXT.repeat(500));
            insert.setBytes(p, HexFormat.of().parseHex("00ff7f80deadbeef"));
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    /** Each value as the driver presents it: getObject's class and value, and getString (or the error). */
    private static List<List<String>> describeRows(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
                ResultSet rs = statement.executeQuery()) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    row.add(rs.getMetaData().getColumnName(column) + "=" + describe(rs, column));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static String describe(ResultSet rs, int column) {
        try {
            Object value = rs.getObject(column);
            String text = rs.getString(column);
            if (value == null) {
                return "NULL / " + text;
            }
            String shown = value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value.toString();
            return value.getClass().getSimpleName() + ":" + shown + " / " + text;
        } catch (SQLException e) {
            // Both paths must fail alike; the MariaDB driver prefixes its connection id, which differs.
            return "error " + e.getErrorCode() + ": " + e.getMessage().replaceAll("\\(conn=\\d+\\) ", "");
        }
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
