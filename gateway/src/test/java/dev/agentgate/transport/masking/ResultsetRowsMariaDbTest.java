package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.protocol.BinaryResultsetRow;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ResultsetColumns;
import dev.agentgate.protocol.ResultsetRow;
import dev.agentgate.protocol.TextResultsetRow;
import dev.agentgate.testing.MariaDbServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Row codec and masker on real rows of a MariaDB table with a column of every type, in both protocols. */
@Tag("integration")
class ResultsetRowsMariaDbTest {

    private static final String SELECT_ALL = "SELECT * FROM every_type ORDER BY id";
    private static final byte[] HASH_KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.US_ASCII);

    private static MariaDbServer server;
    private static MariaDbResultSets backend;
    private static MariaDbResultSets.ResultSet textRows;
    private static MariaDbResultSets.ResultSet binaryRows;

    @BeforeAll
    static void createTableWithEveryColumnType() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-masking-test"));
        server.sql("CREATE DATABASE appdb; USE appdb; CREATE TABLE every_type ("
                + " id INT PRIMARY KEY, c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_smallint SMALLINT,"
                + " c_smallint_u SMALLINT UNSIGNED, c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED, c_int INT,"
                + " c_int_u INT UNSIGNED, c_int_zerofill INT(6) ZEROFILL, c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED,"
                + " c_float FLOAT, c_float_fixed FLOAT(7,3), c_double DOUBLE, c_double_fixed DOUBLE(12,4), c_decimal DECIMAL(12,4),"
                + " c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6), c_timestamp TIMESTAMP(3) NULL DEFAULT NULL,"
                + " c_time TIME, c_time6 TIME(6), c_year YEAR, c_char CHAR(10), c_varchar VARCHAR(300), c_binary BINARY(4),"
                + " c_varbinary VARBINARY(10), c_tinytext TINYTEXT, c_text TEXT, c_mediumtext MEDIUMTEXT, c_longtext LONGTEXT,"
                + " c_tinyblob TINYBLOB, c_blob BLOB, c_mediumblob MEDIUMBLOB, c_longblob LONGBLOB, c_enum ENUM('a','b','c'),"
                + " c_set SET('x','y','z'), c_bit BIT(12), c_json JSON, c_geometry GEOMETRY, c_point POINT, c_inet6 INET6,"
                + " c_uuid UUID) CHARACTER SET utf8mb4;"
                + "SET SESSION sql_mode = '';"
                + "INSERT INTO every_type VALUES (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,"
                + " 42, -9223372036854775808, 18446744073709551615, 3.14159, 1234.5, 2.718281828459045, 12345678.1234,"
                + " -12345678.1234, '2024-02-29', '2024-02-29 13:14:15', '2024-02-29 13:14:15.123456',"
                + " '2024-02-29 13:14:15.120', '-838:59:59', '-12:34:56.789012', 2024, 'chär', REPEAT('ü', 300), 'ab',"
                + " 'bin\\0ary', 'tiny 😀', REPEAT('x', 70000), 'medium', 'long', 'tb', 'blob', 'mb', 'lb', 'b', 'x,z',"
                + " b'101010101010', '{\"ssn\": \"123-45-6789\"}', ST_GeomFromText('LINESTRING(0 0, 1 1)'),"
                + " ST_GeomFromText('POINT(1 2)'), '2001:db8::1', '123e4567-e89b-12d3-a456-426614174000');"
                + "INSERT INTO every_type VALUES (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 0, 9223372036854775807, 0,"
                + " 1e20, -0.5, -1e-300, 0, 0, '0000-00-00', '0000-00-00 00:00:00', '2024-01-01 00:00:00',"
                + " '1970-01-02 00:00:00', '838:59:59', '00:00:00', 0, '', '', '', '', '', '', '', '', '', '', '', '',"
                + " 'c', '', b'0', '[]', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(0 0)'), '::', "
                + " '00000000-0000-0000-0000-000000000000');"
                + "INSERT INTO every_type (id) VALUES (3);");
        backend = MariaDbResultSets.connect(server, "appdb");
        textRows = backend.query(SELECT_ALL);
        binaryRows = backend.execute(SELECT_ALL);
    }

    @AfterAll
    static void stopServer() {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void capturesThreeRowsInBothProtocols() {
        assertThat(textRows.rows()).hasSize(3);
        assertThat(binaryRows.rows()).hasSize(3);
        assertThat(binaryRows.columns()).hasSameSizeAs(textRows.columns()).hasSize(44);
    }

    @Test
    void writesEveryTextRowBackByteForByte() {
        for (byte[] row : textRows.rows()) {
            assertThat(rewritten(
                            row,
                            payload -> TextResultsetRow.read(
                                    payload, textRows.columns().size())))
                    .isEqualTo(row);
        }
    }

    @Test
    void writesEveryBinaryRowBackByteForByte() {
        ResultsetColumns columns = new ResultsetColumns(binaryRows.columns());
        for (byte[] row : binaryRows.rows()) {
            assertThat(rewritten(row, payload -> BinaryResultsetRow.read(payload, columns)))
                    .isEqualTo(row);
        }
    }

    @Test
    void readsEveryBinaryValueAsTheTextProtocolShowsIt() {
        assertThat(values(binaryRows, true)).isEqualTo(values(textRows, false));
    }

    @Test
    void readsBinaryNumbersAndTemporalsInTheirTextForm() {
        List<String> first = values(binaryRows, true).get(0);
        List<String> second = values(binaryRows, true).get(1);

        assertThat(List.of(
                        first.get(column("c_tinyint")),
                        first.get(column("c_tinyint_u")),
                        first.get(column("c_int_zerofill")),
                        first.get(column("c_bigint_u")),
                        first.get(column("c_float")),
                        first.get(column("c_float_fixed")),
                        first.get(column("c_datetime6")),
                        first.get(column("c_timestamp")),
                        first.get(column("c_time")),
                        first.get(column("c_time6")),
                        first.get(column("c_year"))))
                .containsExactly(
                        "-128",
                        "255",
                        "000042",
                        "18446744073709551615",
                        "3.14159",
                        "1234.500",
                        "2024-02-29 13:14:15.123456",
                        "2024-02-29 13:14:15.120",
                        "-838:59:59",
                        "-12:34:56.789012",
                        "2024");
        assertThat(List.of(
                        second.get(column("c_float")),
                        second.get(column("c_double")),
                        second.get(column("c_date")),
                        second.get(column("c_datetime")),
                        second.get(column("c_time")),
                        second.get(column("c_year"))))
                .containsExactly("1e20", "-1e-300", "0000-00-00", "0000-00-00 00:00:00", "838:59:59", "0000");
    }

    @Test
    void masksTextAndBinaryRowsOfRealResultSetsAlike() {
        MaskingStrategies strategies = MaskingStrategies.builtIn(HASH_KEY);
        MaskPlan plan = MaskPlan.builder()
                .mask(column("c_int"), strategies.create("redact", Map.of()))
                .mask(column("c_varchar"), strategies.create("hash", Map.of()))
                .mask(column("c_datetime6"), strategies.create("null", Map.of()))
                .mask(column("c_decimal"), strategies.create("partial", Map.of("keep_last", 2)))
                .mask(column("c_json"), strategies.create("redact", Map.of("text", "[hidden]")))
                .mask(column("c_time"), strategies.create("hash", Map.of()))
                .build();
        ResultSetMasker text = new ResultSetMasker(textRows.columns(), plan);
        ResultSetMasker binary = new ResultSetMasker(binaryRows.columns(), plan);

        List<List<String>> maskedText = values(
                new MariaDbResultSets.ResultSet(text.columnDefinitions(), masked(textRows.rows(), text::maskTextRow)),
                false);
        List<List<String>> maskedBinary = values(
                new MariaDbResultSets.ResultSet(
                        binary.columnDefinitions(), masked(binaryRows.rows(), binary::maskBinaryRow)),
                true);

        assertThat(maskedBinary).isEqualTo(maskedText);
        assertThat(maskedText.get(0).get(column("c_int"))).isEqualTo("***");
        assertThat(maskedText.get(0).get(column("c_datetime6"))).isNull();
        assertThat(maskedText.get(0).get(column("c_decimal"))).isEqualTo("************34");
        assertThat(maskedText.get(0).get(column("c_json"))).isEqualTo("[hidden]");
        assertThat(maskedText.get(0).get(column("c_varchar"))).hasSize(64);
        assertThat(maskedText.get(2).get(column("c_int"))).as("NULL stays NULL").isNull();
        assertThat(binary.columnDefinition(column("c_int")).type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
    }

    private static int column(String name) {
        for (int i = 0; i < textRows.columns().size(); i++) {
            if (textRows.columns().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }

    /** Each row's values in the text protocol's form, decoded with the result set's own definitions. */
    private static List<List<String>> values(MariaDbResultSets.ResultSet resultSet, boolean binary) {
        ResultsetColumns columns = new ResultsetColumns(resultSet.columns());
        List<List<String>> rows = new ArrayList<>();
        for (byte[] bytes : resultSet.rows()) {
            ByteBuf payload = Unpooled.wrappedBuffer(bytes);
            ResultsetRow row = binary
                    ? BinaryResultsetRow.read(payload, columns)
                    : TextResultsetRow.read(payload, columns.count());
            List<String> values = new ArrayList<>();
            for (int column = 0; column < columns.count(); column++) {
                byte[] value = row.textValue(column);
                values.add(value == null ? null : new String(value, StandardCharsets.ISO_8859_1));
            }
            rows.add(values);
        }
        return rows;
    }

    private static List<byte[]> masked(List<byte[]> rows, Function<ByteBuf, ByteBuf> masker) {
        List<byte[]> masked = new ArrayList<>();
        for (byte[] row : rows) {
            ByteBuf out = masker.apply(Unpooled.wrappedBuffer(row));
            masked.add(ByteBufUtil.getBytes(out));
            out.release();
        }
        return masked;
    }

    private static byte[] rewritten(byte[] bytes, Function<ByteBuf, ResultsetRow> reader) {
        ResultsetRow row = reader.apply(Unpooled.wrappedBuffer(bytes));
        ByteBuf out = Unpooled.buffer(row.encodedLength());
        row.write(out);
        assertThat(out.readableBytes()).isEqualTo(row.encodedLength());
        return ByteBufUtil.getBytes(out);
    }
}
