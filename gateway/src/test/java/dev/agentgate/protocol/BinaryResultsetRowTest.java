package dev.agentgate.protocol;

import static dev.agentgate.protocol.ColumnDefinitionFlags.UNSIGNED_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.ZEROFILL_FLAG;
import static dev.agentgate.protocol.ResultsetRowTestSupport.column;
import static dev.agentgate.protocol.ResultsetRowTestSupport.hex;
import static dev.agentgate.protocol.ResultsetRowTestSupport.hexOf;
import static dev.agentgate.protocol.ResultsetRowTestSupport.text;
import static dev.agentgate.protocol.ResultsetRowTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinaryResultsetRowTest {

    private static final int SIGNED = 0;
    private static final int UNSIGNED = UNSIGNED_FLAG;

    private static BinaryResultsetRow read(String hex, ColumnDefinition41Packet... columns) {
        return BinaryResultsetRow.read(hex(hex), new ResultsetColumns(List.of(columns)));
    }

    @ParameterizedTest(name = "{0} flags {1} decimals {2}: {3} reads as {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "MYSQL_TYPE_TINY       | 0  | 0  | 80                     | -128",
                "MYSQL_TYPE_TINY       | 32 | 0  | ff                     | 255",
                "MYSQL_TYPE_SHORT      | 0  | 0  | 0080                   | -32768",
                "MYSQL_TYPE_SHORT      | 32 | 0  | ffff                   | 65535",
                "MYSQL_TYPE_YEAR       | 32 | 0  | e807                   | 2024",
                "MYSQL_TYPE_INT24      | 0  | 0  | 000080ff               | -8388608",
                "MYSQL_TYPE_LONG       | 0  | 0  | 00000080               | -2147483648",
                "MYSQL_TYPE_LONG       | 32 | 0  | ffffffff               | 4294967295",
                "MYSQL_TYPE_LONGLONG   | 0  | 0  | ffffffffffffffff       | -1",
                "MYSQL_TYPE_LONGLONG   | 32 | 0  | ffffffffffffffff       | 18446744073709551615",
                "MYSQL_TYPE_FLOAT      | 0  | 31 | 0000c03f               | 1.5",
                "MYSQL_TYPE_FLOAT      | 0  | 2  | 0000c03f               | 1.50",
                "MYSQL_TYPE_DOUBLE     | 0  | 31 | 9a9999999999b93f       | 0.1",
                "MYSQL_TYPE_DOUBLE     | 0  | 31 | 000000000000f03f       | 1",
                "MYSQL_TYPE_DOUBLE     | 0  | 3  | 9a9999999999b93f       | 0.100",
                "MYSQL_TYPE_DECIMAL    | 0  | 2  | 052d312e3530           | -1.50",
                "MYSQL_TYPE_NEWDECIMAL | 0  | 2  | 0431322e35             | 12.5",
                "MYSQL_TYPE_DATE       | 0  | 0  | 00                     | 0000-00-00",
                "MYSQL_TYPE_DATE       | 0  | 0  | 04e807021d             | 2024-02-29",
                "MYSQL_TYPE_NEWDATE    | 0  | 0  | 04e807021d             | 2024-02-29",
                "MYSQL_TYPE_DATETIME   | 0  | 0  | 00                     | 0000-00-00 00:00:00",
                "MYSQL_TYPE_DATETIME   | 0  | 0  | 04e807021d             | 2024-02-29 00:00:00",
                "MYSQL_TYPE_DATETIME   | 0  | 0  | 07e807021d0d0e0f       | 2024-02-29 13:14:15",
                "MYSQL_TYPE_DATETIME   | 0  | 6  | 0be807021d0d0e0f40e20100 | 2024-02-29 13:14:15.123456",
                "MYSQL_TYPE_DATETIME   | 0  | 3  | 0be807021d0d0e0f40e20100 | 2024-02-29 13:14:15.123",
                "MYSQL_TYPE_DATETIME   | 0  | 2  | 07e807021d0d0e0f       | 2024-02-29 13:14:15.00",
                "MYSQL_TYPE_TIMESTAMP  | 0  | 0  | 07b2070102000000       | 1970-01-02 00:00:00",
                "MYSQL_TYPE_DATETIME2  | 0  | 0  | 04e807021d             | 2024-02-29 00:00:00",
                "MYSQL_TYPE_TIMESTAMP2 | 0  | 0  | 04e807021d             | 2024-02-29 00:00:00",
                "MYSQL_TYPE_TIME       | 0  | 0  | 00                     | 00:00:00",
                "MYSQL_TYPE_TIME       | 0  | 2  | 00                     | 00:00:00.00",
                "MYSQL_TYPE_TIME       | 0  | 0  | 080101000000020304     | -26:03:04",
                "MYSQL_TYPE_TIME       | 0  | 0  | 08002200000016 3b3b    | 838:59:59",
                "MYSQL_TYPE_TIME       | 0  | 6  | 0c 00 00000000 0c2238 40e20100 | 12:34:56.123456",
                "MYSQL_TYPE_TIME2      | 0  | 0  | 08000000000001 0203    | 01:02:03",
                "MYSQL_TYPE_VARCHAR    | 0  | 0  | 03616263               | abc",
                "MYSQL_TYPE_VAR_STRING | 0  | 0  | 00                     | ''",
                "MYSQL_TYPE_STRING     | 0  | 0  | 056368c3a472           | chär",
                "MYSQL_TYPE_ENUM       | 0  | 0  | 0162                   | b",
                "MYSQL_TYPE_SET        | 0  | 0  | 03782c7a               | x,z",
                "MYSQL_TYPE_TINY_BLOB  | 0  | 0  | 027462                 | tb",
                "MYSQL_TYPE_BLOB       | 0  | 0  | 0462 6c6f62            | blob",
                "MYSQL_TYPE_MEDIUM_BLOB | 0 | 0  | 026d62                 | mb",
                "MYSQL_TYPE_LONG_BLOB  | 0  | 0  | 026c62                 | lb",
                "MYSQL_TYPE_JSON       | 0  | 0  | 025b5d                 | []",
                "MYSQL_TYPE_BIT        | 32 | 0  | 023031                 | 01",
                "MYSQL_TYPE_GEOMETRY   | 0  | 0  | 03474547               | GEG",
                "MYSQL_TYPE_VECTOR     | 0  | 0  | 0141                   | A",
            })
    void readsEveryTypesValueInItsTextFormAndWritesItBackUnchanged(
            ColumnType type, int flags, int decimals, String value, String expected) {
        String payload = "0000" + value.replace(" ", "");
        BinaryResultsetRow row = read(payload, column(type, flags, decimals));

        assertThat(text(row.textValue(0))).isEqualTo(expected);
        assertThat(hexOf(row)).isEqualTo(payload);
    }

    @Test
    void padsZerofillIntegersToTheColumnsDisplayWidth() {
        BinaryResultsetRow row = read("00002a000000", column(ColumnType.MYSQL_TYPE_LONG, UNSIGNED | ZEROFILL_FLAG, 0));

        assertThat(text(row.textValue(0))).isEqualTo("00000000042");
    }

    @Test
    void findsNullColumnsInTheBitmapAfterItsTwoReservedBits() {
        BinaryResultsetRow row = read(
                "0008 01 02",
                column(ColumnType.MYSQL_TYPE_TINY),
                column(ColumnType.MYSQL_TYPE_LONG),
                column(ColumnType.MYSQL_TYPE_TINY));

        assertThat(row.isNull(0)).isFalse();
        assertThat(row.isNull(1)).isTrue();
        assertThat(row.textValue(1)).isNull();
        assertThat(text(row.textValue(2))).isEqualTo("2");
    }

    @Test
    void usesASecondBitmapByteFromTheSeventhColumnOn() {
        ColumnDefinition41Packet tiny = column(ColumnType.MYSQL_TYPE_TINY);
        BinaryResultsetRow row = read("00 0000 01 02 03 04 05 06 07", tiny, tiny, tiny, tiny, tiny, tiny, tiny);

        assertThat(text(row.textValue(6))).isEqualTo("7");
        row.replace(6, null);
        assertThat(hexOf(row)).isEqualTo("000001010203040506");
    }

    @Test
    void writesAReplacedNumberAsAStringAndAReplacedNullInTheBitmap() {
        BinaryResultsetRow row = read(
                "0000 2a000000 0568656c6c6f 07",
                column(ColumnType.MYSQL_TYPE_LONG),
                column(ColumnType.MYSQL_TYPE_VAR_STRING),
                column(ColumnType.MYSQL_TYPE_TINY));

        row.replace(0, utf8("***"));
        row.replace(1, null);

        assertThat(hexOf(row)).isEqualTo("0008032a2a2a07");
        assertThat(row.isNull(1)).as("as received").isFalse();
        assertThat(row.isReplaced(1)).isTrue();
    }

    @Test
    void clearsTheBitOfANullColumnReplacedByAValueAndKeepsTheBitsOfColumnsNotReplaced() {
        ColumnDefinition41Packet tiny = column(ColumnType.MYSQL_TYPE_TINY);
        // columns 1 and 3 NULL (bits 3 and 5): 0x28
        BinaryResultsetRow row = read("00 28 01 03", tiny, tiny, tiny, tiny);

        row.replace(1, utf8("x"));

        assertThat(hexOf(row)).isEqualTo("0020" + "01" + "0178" + "03");
    }

    @Test
    void writesTheReservedBitsAndThePaddingAfterTheLastColumnAsZerosWhateverArrived() {
        ColumnDefinition41Packet tiny = column(ColumnType.MYSQL_TYPE_TINY);
        // bits 0-1 reserved, bit 2 column 0, bits 3-7 padding: all set but column 0's
        BinaryResultsetRow row = read("00 fb 07", tiny);

        row.replace(0, utf8("x"));

        assertThat(hexOf(row)).isEqualTo("0000" + "0178");
    }

    @Test
    void setsTheBitOfAColumnReplacedByNullInTheSecondBitmapByte() {
        ColumnDefinition41Packet tiny = column(ColumnType.MYSQL_TYPE_TINY);
        BinaryResultsetRow row =
                read("00 0000 01 02 03 04 05 06 07 08", tiny, tiny, tiny, tiny, tiny, tiny, tiny, tiny);

        row.replace(7, null);
        row.replace(0, null);

        assertThat(hexOf(row)).isEqualTo("00" + "0402" + "020304050607");
    }

    @Test
    void leavesThePayloadsReaderIndexWhereItWas() {
        ByteBuf payload = hex("0000 2a000000");

        BinaryResultsetRow row =
                BinaryResultsetRow.read(payload, new ResultsetColumns(List.of(column(ColumnType.MYSQL_TYPE_LONG))));
        row.textValue(0);

        assertThat(payload.readerIndex()).isZero();
    }

    @Test
    void refusesATemporalValueOfALengthItsTypeDoesNotHave() {
        assertThatThrownBy(() -> read("0000 05e807021d00", column(ColumnType.MYSQL_TYPE_DATETIME)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("binary resultset row: MYSQL_TYPE_DATETIME value of length 5");
        assertThatThrownBy(() -> read("0000 0400000000", column(ColumnType.MYSQL_TYPE_TIME)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("MYSQL_TYPE_TIME value of length 4");
    }

    @Test
    void refusesARowThatEndsInsideAValue() {
        assertThatThrownBy(() -> read("0000 2a00", column(ColumnType.MYSQL_TYPE_LONG)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("string<fix>: needs 4 bytes, only 2 left");
    }

    @Test
    void refusesBytesAfterTheLastColumn() {
        assertThatThrownBy(() -> read("0000 2a 00", column(ColumnType.MYSQL_TYPE_TINY)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("binary resultset row: 1 bytes left after the last of 1 columns");
    }

    @Test
    void refusesARowWithoutTheBinaryRowHeader() {
        assertThatThrownBy(() -> read("fe00 2a", column(ColumnType.MYSQL_TYPE_TINY)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("binary resultset row: header 0x0 expected, was 0xfe");
    }

    @Test
    void refusesAColumnTypeThatNeverAppearsInARow() {
        assertThatThrownBy(() -> read("0000 01", column(ColumnType.MYSQL_TYPE_BOOL)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("binary resultset row: column type MYSQL_TYPE_BOOL never appears in a row");
    }

    @Test
    void refusesColumnDefinitionsWithAnUnknownTypeCode() {
        ColumnDefinition41Packet unknown =
                new ColumnDefinition41Packet("def", "s", "t", "t", "odd", "odd", 63, 1, 0x42, 0, 0, null);

        assertThatThrownBy(() -> new ResultsetColumns(List.of(unknown)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("column 0 ('odd') has unknown type 0x42");
    }
}
