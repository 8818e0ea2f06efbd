package dev.agentgate.protocol;

import static dev.agentgate.protocol.PacketTestSupport.bytesOf;
import static dev.agentgate.protocol.PacketTestSupport.readHex;
import static dev.agentgate.protocol.PacketTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandPhasePacketsTest {

    private static final long CLIENT_FLAGS = CapabilityFlags.CLIENT_PROTOCOL_41
            | CapabilityFlags.CLIENT_SECURE_CONNECTION
            | CapabilityFlags.CLIENT_PLUGIN_AUTH
            | CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CapabilityFlags.CLIENT_CONNECT_ATTRS;

    static Stream<Arguments> commandPackets() {
        return Stream.of(
                Arguments.of(new ComQueryPacket("SELECT 'é'"), CommandType.COM_QUERY),
                Arguments.of(new ComInitDbPacket("shop"), CommandType.COM_INIT_DB),
                Arguments.of(new ComFieldListPacket("orders", "id%"), CommandType.COM_FIELD_LIST),
                Arguments.of(new ComStmtPreparePacket("SELECT ?"), CommandType.COM_STMT_PREPARE),
                Arguments.of(new ComStmtFetchPacket(7, 100), CommandType.COM_STMT_FETCH),
                Arguments.of(new ComStmtClosePacket(7), CommandType.COM_STMT_CLOSE),
                Arguments.of(new ComStmtResetPacket(7), CommandType.COM_STMT_RESET),
                Arguments.of(
                        new ComSetOptionPacket(ComSetOptionPacket.MYSQL_OPTION_MULTI_STATEMENTS_OFF),
                        CommandType.COM_SET_OPTION),
                Arguments.of(new ComProcessKillPacket(12345), CommandType.COM_PROCESS_KILL));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("commandPackets")
    void roundTripsACommandAndStartsItWithItsCommandByte(MySQLPacket packet, CommandType command) {
        assertThat(bytesOf(packet)[0]).isEqualTo((byte) command.code());
        assertThat(roundTrip(packet, p -> readCommand(p, command))).isEqualTo(packet);
    }

    private static MySQLPacket readCommand(MySQLPayload payload, CommandType command) {
        return switch (command) {
            case COM_QUERY -> ComQueryPacket.read(payload);
            case COM_INIT_DB -> ComInitDbPacket.read(payload);
            case COM_FIELD_LIST -> ComFieldListPacket.read(payload);
            case COM_STMT_PREPARE -> ComStmtPreparePacket.read(payload);
            case COM_STMT_FETCH -> ComStmtFetchPacket.read(payload);
            case COM_STMT_CLOSE -> ComStmtClosePacket.read(payload);
            case COM_STMT_RESET -> ComStmtResetPacket.read(payload);
            case COM_SET_OPTION -> ComSetOptionPacket.read(payload);
            case COM_PROCESS_KILL -> ComProcessKillPacket.read(payload);
            default -> throw new IllegalArgumentException(command.name());
        };
    }

    @Test
    void refusesACommandPacketReadAsAnotherCommand() {
        assertThatThrownBy(() -> readHex("0e", ComQueryPacket::read))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("COM_QUERY: header 0x3 expected, was 0xe");
    }

    @Test
    void parsesTheExecuteHeaderAndKeepsTheParametersRaw() {
        ComStmtExecutePacket read =
                readHex("17 05000000 01 01000000 00 01 0800 2a00000000000000", ComStmtExecutePacket::read);

        assertThat(read.statementId()).isEqualTo(5);
        assertThat(read.cursorRequested()).isTrue();
        assertThat(read.iterationCount()).isEqualTo(1);
        assertThat(read.parameters()).hasSize(12);
        assertThat(roundTrip(read, ComStmtExecutePacket::read))
                .usingRecursiveComparison()
                .isEqualTo(read);
    }

    @Test
    void seesNoCursorRequestedForAPlainExecute() {
        assertThat(new ComStmtExecutePacket(1, ComStmtExecutePacket.CURSOR_TYPE_NO_CURSOR, 1, new byte[0])
                        .cursorRequested())
                .isFalse();
    }

    @Test
    void roundTripsSendLongDataWithBinaryData() {
        ComStmtSendLongDataPacket packet = new ComStmtSendLongDataPacket(3, 1, new byte[] {0, -1, 2});

        assertThat(roundTrip(packet, ComStmtSendLongDataPacket::read))
                .usingRecursiveComparison()
                .isEqualTo(packet);
    }

    @Test
    void roundTripsChangeUserWithPluginAndAttributesUsingALengthPrefixedAuthResponse() {
        ComChangeUserPacket packet = new ComChangeUserPacket(
                "bob", new byte[20], "shop", 255, "mysql_native_password", Map.of("_client_name", "libmysql"));
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer), CLIENT_FLAGS);

        assertThat((int) buffer.getUnsignedByte(5))
                .as("auth response length prefix")
                .isEqualTo(20);
        ComChangeUserPacket read = ComChangeUserPacket.read(new MySQLPayload(buffer), CLIENT_FLAGS);
        assertThat(read).usingRecursiveComparison().isEqualTo(packet);
        assertThat(buffer.isReadable()).isFalse();
        buffer.release();
    }

    @Test
    void readsAChangeUserFromAnOldClientWithoutCharsetOrPlugin() {
        ComChangeUserPacket read =
                readHex("11 626f6200 00 00", p -> ComChangeUserPacket.read(p, CapabilityFlags.CLIENT_PROTOCOL_41));

        assertThat(read.username()).isEqualTo("bob");
        assertThat(read.authResponse()).isEmpty();
        assertThat(read.schema()).isEmpty();
        assertThat(read.characterSet()).isZero();
        assertThat(read.authPluginName()).isEmpty();
    }

    @Test
    void roundTripsAColumnDefinition() {
        ColumnDefinition41Packet column = new ColumnDefinition41Packet(
                "def",
                "shop",
                "o",
                "orders",
                "total",
                "total",
                63,
                10,
                ColumnType.MYSQL_TYPE_NEWDECIMAL.code(),
                0x1001,
                2,
                null);

        ColumnDefinition41Packet read = roundTrip(column, ColumnDefinition41Packet::read);

        assertThat(read).usingRecursiveComparison().isEqualTo(column);
        assertThat(read.type()).contains(ColumnType.MYSQL_TYPE_NEWDECIMAL);
    }

    /** MariaDB 10.11 with MARIADB_CLIENT_EXTENDED_METADATA: {@code doc JSON} and {@code pos POINT} of appdb.samples. */
    private static final String MARIADB_JSON_COLUMN =
            "036465660561707064620773616d706c65730773616d706c657303646f6303646f63"
                    + "0601046a736f6e0c2d00fffffffffc9000000000";

    private static final String MARIADB_POINT_COLUMN =
            "036465660561707064620773616d706c65730773616d706c657303706f7303706f73"
                    + "070005706f696e740c3f00ffffffffff9000000000";

    @ParameterizedTest
    @MethodSource("mariaDbExtendedMetadataColumns")
    void readsMariaDbExtendedMetadataAndWritesItBackByteForByte(String hex, int key, String value, ColumnType type) {
        ColumnDefinition41Packet read = readHex(hex, payload -> ColumnDefinition41Packet.read(payload, true));

        assertThat(read.orgName()).isIn("doc", "pos");
        assertThat(read.type()).contains(type);
        assertThat(read.columnLength()).isEqualTo(0xFFFF_FFFFL);
        assertThat(read.extendedMetadata(key)).contains(value);
        assertThat(bytesOf(read)).isEqualTo(ByteBufUtil.decodeHexDump(hex));
    }

    static Stream<Arguments> mariaDbExtendedMetadataColumns() {
        return Stream.of(
                Arguments.of(
                        MARIADB_JSON_COLUMN,
                        ColumnDefinition41Packet.EXTENDED_FORMAT_NAME,
                        "json",
                        ColumnType.MYSQL_TYPE_BLOB),
                Arguments.of(
                        MARIADB_POINT_COLUMN,
                        ColumnDefinition41Packet.EXTENDED_TYPE_NAME,
                        "point",
                        ColumnType.MYSQL_TYPE_GEOMETRY));
    }

    @Test
    void writesAnEmptyExtendedMetadataBlockAsOneZeroByteAndNoneWithoutTheCapability() {
        ColumnDefinition41Packet plain = new ColumnDefinition41Packet(
                "def", "shop", "o", "orders", "id", "id", 63, 11, ColumnType.MYSQL_TYPE_LONG.code(), 0, 0, null);
        ColumnDefinition41Packet extended = new ColumnDefinition41Packet(
                "def",
                "shop",
                "o",
                "orders",
                "id",
                "id",
                63,
                11,
                ColumnType.MYSQL_TYPE_LONG.code(),
                0,
                0,
                null,
                new byte[0]);

        byte[] plainBytes = bytesOf(plain);
        byte[] extendedBytes = bytesOf(extended);

        assertThat(extendedBytes).hasSize(plainBytes.length + 1);
        ColumnDefinition41Packet read =
                ColumnDefinition41Packet.read(new MySQLPayload(Unpooled.wrappedBuffer(extendedBytes)), true);
        assertThat(read.extendedMetadata()).isEmpty();
        assertThat(read.extendedMetadata(ColumnDefinition41Packet.EXTENDED_TYPE_NAME))
                .isEmpty();
        assertThat(ColumnDefinition41Packet.read(new MySQLPayload(Unpooled.wrappedBuffer(plainBytes)))
                        .extendedMetadata())
                .isNull();
    }

    @Test
    void readsAFieldListColumnWithItsDefaultValue() {
        ColumnDefinition41Packet column = new ColumnDefinition41Packet(
                "def",
                "shop",
                "orders",
                "orders",
                "id",
                "id",
                63,
                4_294_967_295L,
                ColumnType.MYSQL_TYPE_LONG.code(),
                0,
                0,
                new byte[] {'0'});

        ColumnDefinition41Packet read = roundTrip(column, ColumnDefinition41Packet::read);

        assertThat(read.defaultValues()).containsExactly('0');
        assertThat(read.columnLength()).isEqualTo(4_294_967_295L);
    }

    @Test
    void readsAFieldListColumnWhoseDefaultIsNull() {
        ColumnDefinition41Packet column = new ColumnDefinition41Packet(
                "def",
                "shop",
                "orders",
                "orders",
                "note",
                "note",
                45,
                400,
                ColumnType.MYSQL_TYPE_VAR_STRING.code(),
                0,
                0,
                null);
        byte[] bytes = bytesOf(column);
        byte[] withNullDefault = Arrays.copyOf(bytes, bytes.length + 1);
        withNullDefault[bytes.length] = (byte) 0xFB;

        ColumnDefinition41Packet read =
                ColumnDefinition41Packet.read(new MySQLPayload(Unpooled.wrappedBuffer(withNullDefault)));

        assertThat(read).usingRecursiveComparison().isEqualTo(column);
    }

    @Test
    void roundTripsAPrepareOk() {
        ComStmtPrepareOkPacket ok = new ComStmtPrepareOkPacket(9, 3, 2, 1);

        assertThat(bytesOf(ok)).hasSize(12);
        assertThat(roundTrip(ok, ComStmtPrepareOkPacket::read)).isEqualTo(ok);
    }

    @Test
    void mapsCommandBytesToCommandsAndRejectsUnassignedOnes() {
        assertThat(CommandType.fromCode(0x03)).contains(CommandType.COM_QUERY);
        assertThat(CommandType.fromCode(0x1F)).contains(CommandType.COM_RESET_CONNECTION);
        assertThat(CommandType.fromCode(0x20)).isEmpty();
        assertThat(ColumnType.fromCode(0xF5)).contains(ColumnType.MYSQL_TYPE_JSON);
    }
}
