package dev.agentgate.protocol;

import static dev.agentgate.protocol.PacketTestSupport.readHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter values of COM_STMT_EXECUTE, with the bytes written by hand from the protocol documentation. */
class BinaryParameterValuesTest {

    private static ParameterType signed(ColumnType type) {
        return new ParameterType(type, false);
    }

    private static ParameterType unsigned(ColumnType type) {
        return new ParameterType(type, true);
    }

    /** One value of {@code type} from its hex bytes. */
    private static Object value(ParameterType type, String hex) {
        return readHex(hex, payload -> {
            Object value = BinaryParameterValues.readValue(payload, type);
            assertThat(payload.hasRemaining()).as("bytes left after the value").isFalse();
            return value;
        });
    }

    @Test
    void readsSignedAndUnsignedIntegersOfEveryWidth() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TINY), "ff")).isEqualTo(-1L);
        assertThat(value(unsigned(ColumnType.MYSQL_TYPE_TINY), "ff")).isEqualTo(255L);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_SHORT), "feff")).isEqualTo(-2L);
        assertThat(value(unsigned(ColumnType.MYSQL_TYPE_SHORT), "feff")).isEqualTo(65534L);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_YEAR), "e807")).isEqualTo(2024L);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_LONG), "2a000000")).isEqualTo(42L);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_INT24), "ffffffff")).isEqualTo(-1L);
        assertThat(value(unsigned(ColumnType.MYSQL_TYPE_LONG), "ffffffff")).isEqualTo(4294967295L);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_LONGLONG), "ffffffffffffffff"))
                .isEqualTo(-1L);
        assertThat(value(unsigned(ColumnType.MYSQL_TYPE_LONGLONG), "ffffffffffffff7f"))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void readsAnUnsignedBigintAboveTheSignedRangeAsABigInteger() {
        assertThat(value(unsigned(ColumnType.MYSQL_TYPE_LONGLONG), "ffffffffffffffff"))
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void readsFloatsAndDoublesInIeeeLittleEndian() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_FLOAT), "0000c03f")).isEqualTo(1.5f);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DOUBLE), "000000000000f0bf"))
                .isEqualTo(-1.0d);
    }

    @Test
    void readsDecimalsAndCharacterTypesAsUtf8Text() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_NEWDECIMAL), "05 31 32 2e 35 30"))
                .isEqualTo("12.50");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DECIMAL), "02 2d 31")).isEqualTo("-1");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_VAR_STRING), "04 68 c3 a9 21"))
                .isEqualTo("hé!");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_STRING), "00")).isEqualTo("");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_VARCHAR), "01 61")).isEqualTo("a");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_JSON), "02 7b7d")).isEqualTo("{}");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_ENUM), "01 78")).isEqualTo("x");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_SET), "03 612c62")).isEqualTo("a,b");
    }

    @Test
    void readsBlobsAndBitsAsBytes() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_BLOB), "03 00ff10")).isEqualTo(new byte[] {0, -1, 16});
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TINY_BLOB), "01 61")).isEqualTo(new byte[] {'a'});
        assertThat(value(signed(ColumnType.MYSQL_TYPE_MEDIUM_BLOB), "00")).isEqualTo(new byte[0]);
        assertThat(value(signed(ColumnType.MYSQL_TYPE_LONG_BLOB), "fc0100 07")).isEqualTo(new byte[] {7});
        assertThat(value(signed(ColumnType.MYSQL_TYPE_BIT), "01 05")).isEqualTo(new byte[] {5});
        assertThat(value(signed(ColumnType.MYSQL_TYPE_GEOMETRY), "01 00")).isEqualTo(new byte[] {0});
    }

    @Test
    void keepsTextThatIsNotUtf8AsBytes() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_VAR_STRING), "02 c328"))
                .isEqualTo(new byte[] {(byte) 0xc3, 0x28});
    }

    @Test
    void readsDatesOfLength0And4AsIsoDates() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DATE), "00")).isEqualTo("0000-00-00");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DATE), "04 e807 02 1d")).isEqualTo("2024-02-29");
    }

    @Test
    void readsDatetimesOfLength0To11AsIsoDateTimes() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DATETIME), "00")).isEqualTo("0000-00-00T00:00:00");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DATETIME), "04 e807 02 1d"))
                .isEqualTo("2024-02-29T00:00:00");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TIMESTAMP), "07 e807 0c 1f 17 3b 3a"))
                .isEqualTo("2024-12-31T23:59:58");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_DATETIME), "0b e807 0c 1f 17 3b 3a 40e20100"))
                .isEqualTo("2024-12-31T23:59:58.123456");
    }

    @Test
    void readsTimesOfLength0To12WithDaysFoldedIntoHoursAndTheSign() {
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TIME), "00")).isEqualTo("00:00:00");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TIME), "08 00 00000000 0c 22 38"))
                .isEqualTo("12:34:56");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TIME), "08 01 01000000 02 03 04"))
                .isEqualTo("-26:03:04");
        assertThat(value(signed(ColumnType.MYSQL_TYPE_TIME), "0c 00 00000000 00 00 01 01000000"))
                .isEqualTo("00:00:01.000001");
    }

    @Test
    void refusesTemporalValuesOfAnUndocumentedLength() {
        assertThatThrownBy(() -> value(signed(ColumnType.MYSQL_TYPE_DATETIME), "05 e807 02 1d 01"))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("length 0, 4, 7 or 11, was 5");
        assertThatThrownBy(() -> value(signed(ColumnType.MYSQL_TYPE_TIME), "04 00 000000"))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("length 0, 8 or 12, was 4");
    }

    @Test
    void refusesATypeItCannotDecodeExactly() {
        assertThatThrownBy(() -> value(signed(ColumnType.MYSQL_TYPE_VECTOR), "00"))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("MYSQL_TYPE_VECTOR is not supported");
    }

    @Test
    void readsNullBitmapTypesAndValuesOfAnExecute() {
        // stmt 7, no cursor, iteration 1 | null bitmap: param 1 is NULL | new-params-bound 1 |
        // types LONGLONG, VAR_STRING, TINY unsigned | values 42, (NULL has none), 200
        ComStmtExecutePacket execute = readHex(
                "17 07000000 00 01000000 02 01 0800 fd00 0180" + " 2a00000000000000 c8", ComStmtExecutePacket::read);

        BoundParameters bound = execute.parameters(3, List.of(), Map.of());

        assertThat(bound.newParamsBound()).isTrue();
        assertThat(bound.types())
                .containsExactly(
                        signed(ColumnType.MYSQL_TYPE_LONGLONG),
                        signed(ColumnType.MYSQL_TYPE_VAR_STRING),
                        unsigned(ColumnType.MYSQL_TYPE_TINY));
        assertThat(bound.values()).containsExactly(42L, null, 200L);
    }

    @Test
    void usesTheRememberedTypesWhenTheExecuteBindsNone() {
        ComStmtExecutePacket execute = readHex("17 07000000 00 01000000 00 00 02 6869", ComStmtExecutePacket::read);

        BoundParameters bound = execute.parameters(1, List.of(signed(ColumnType.MYSQL_TYPE_STRING)), Map.of());

        assertThat(bound.newParamsBound()).isFalse();
        assertThat(bound.values()).containsExactly("hi");
    }

    @Test
    void refusesAnExecuteWithoutTypesWhenNoneWereEverBound() {
        ComStmtExecutePacket execute = readHex("17 07000000 00 01000000 00 00 2a", ComStmtExecutePacket::read);

        assertThatThrownBy(() -> execute.parameters(1, List.of(), Map.of()))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("no types were ever bound");
    }

    @Test
    void takesLongDataParametersFromTheSentChunksAndTheRestFromThePacket() {
        // param 0 (BLOB) and param 2 (VAR_STRING) came with COM_STMT_SEND_LONG_DATA: no value in the packet
        ComStmtExecutePacket execute =
                readHex("17 07000000 00 01000000 00 01 fc00 0300 fd00 05000000", ComStmtExecutePacket::read);

        BoundParameters bound = execute.parameters(
                3, List.of(), Map.of(0, new byte[] {1, 2, 3}, 2, "long text".getBytes(StandardCharsets.UTF_8)));

        assertThat(bound.values()).containsExactly(new byte[] {1, 2, 3}, 5L, "long text");
    }

    @Test
    void readsNoParametersOfAStatementThatHasNone() {
        ComStmtExecutePacket execute = readHex("17 07000000 00 01000000", ComStmtExecutePacket::read);

        assertThat(execute.parameters(0, List.of(), Map.of())).isEqualTo(BoundParameters.NONE);
    }

    @Test
    void readsTheNullBitmapOfMoreThanEightParameters() {
        // 9 params, all NULL type-less except param 8 (bit 0 of the second byte) which is a TINY 9
        StringBuilder hex = new StringBuilder("17 07000000 00 01000000 ff 00 01");
        for (int i = 0; i < 8; i++) {
            hex.append(" 0600");
        }
        hex.append(" 0100 09");

        BoundParameters bound =
                readHex(hex.toString(), ComStmtExecutePacket::read).parameters(9, List.of(), Map.of());

        assertThat(bound.values()).hasSize(9).startsWith(null, null).endsWith(9L);
    }

    @Test
    void refusesAValueCutShort() {
        ComStmtExecutePacket execute = readHex("17 07000000 00 01000000 00 01 0300 2a00", ComStmtExecutePacket::read);

        assertThatThrownBy(() -> execute.parameters(1, List.of(), Map.of()))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("int<4>");
    }
}
