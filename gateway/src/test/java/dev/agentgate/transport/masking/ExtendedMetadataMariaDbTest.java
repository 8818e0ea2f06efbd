package dev.agentgate.transport.masking;

import static dev.agentgate.protocol.CapabilityFlags.CLIENT_MYSQL;
import static dev.agentgate.protocol.CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA;
import static dev.agentgate.protocol.ColumnDefinition41Packet.EXTENDED_FORMAT_NAME;
import static dev.agentgate.protocol.ColumnDefinition41Packet.EXTENDED_TYPE_NAME;
import static dev.agentgate.transport.masking.RelayedResponses.allocator;
import static dev.agentgate.transport.masking.RelayedResponses.collector;
import static dev.agentgate.transport.masking.RelayedResponses.frames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ComFieldListPacket;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import dev.agentgate.transport.masking.RelayedResponses.MaskColumnsNamed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Column definitions of a real MariaDB with MARIADB_CLIENT_EXTENDED_METADATA negotiated, read, relayed and masked. */
@Tag("integration")
class ExtendedMetadataMariaDbTest {

    private static final MaskingStrategies STRATEGIES =
            MaskingStrategies.builtIn("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final MaskingStrategy REDACT = STRATEGIES.create("redact", Map.of());
    private static final MaskingStrategy TO_NULL = STRATEGIES.create("null", Map.of());
    private static final String SAMPLES = "SELECT id, doc, pos, note FROM samples ORDER BY id";

    private static MariaDbServer server;
    private static MariaDbResultSets backend;

    @BeforeAll
    static void startMariaDb() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-extended-metadata-test"));
        backend = MariaDbResultSets.connect(
                server, "appdb", MariaDbResultSets.CLIENT_FLAGS & ~CLIENT_MYSQL | MARIADB_CLIENT_EXTENDED_METADATA);
        server.sql("CREATE TABLE appdb.samples (id INT PRIMARY KEY, doc JSON, pos POINT, note VARCHAR(10));"
                + "INSERT INTO appdb.samples VALUES (1, '{\"a\": 1}', POINT(1, 2), 'hi');");
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void negotiatesExtendedMetadataWhenTheClientAsksAndReadsTheTypeNames() throws Exception {
        assertThat(backend.capabilityFlags() & MARIADB_CLIENT_EXTENDED_METADATA).isNotZero();

        List<ColumnDefinition41Packet> columns = backend.query(SAMPLES).columns();

        assertThat(columns)
                .extracting(column -> column.extendedMetadata(EXTENDED_TYPE_NAME))
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of("point"), Optional.empty());
        assertThat(columns.get(1).extendedMetadata(EXTENDED_FORMAT_NAME)).contains("json");
        assertThat(columns.get(1).orgName()).isEqualTo("doc");
        assertThat(columns.get(1).type()).contains(ColumnType.MYSQL_TYPE_BLOB);
        assertThat(columns.get(2).type()).contains(ColumnType.MYSQL_TYPE_GEOMETRY);
    }

    @Test
    void writesEveryDefinitionBackByteForByte() throws Exception {
        for (CommandType type : List.of(CommandType.COM_QUERY, CommandType.COM_STMT_PREPARE)) {
            List<byte[]> definitions = definitions(type, received(type));
            assertThat(definitions).as(type.name()).hasSize(4);
            for (byte[] definition : definitions) {
                ColumnDefinition41Packet read = ColumnDefinition41Packet.read(payload(definition), true);
                assertThat(bytes(read)).isEqualTo(definition);
            }
        }
    }

    @Test
    void readsTheExtendedMetadataOfFieldListColumnsBeforeTheirDefaults() throws Exception {
        List<ColumnDefinition41Packet> columns =
                definitions(CommandType.COM_FIELD_LIST, received(CommandType.COM_FIELD_LIST)).stream()
                        .map(definition -> ColumnDefinition41Packet.read(payload(definition), true))
                        .toList();

        assertThat(columns).extracting(ColumnDefinition41Packet::orgName).containsExactly("id", "doc", "pos", "note");
        assertThat(columns.get(1).extendedMetadata(EXTENDED_FORMAT_NAME)).contains("json");
        assertThat(columns.get(2).extendedMetadata(EXTENDED_TYPE_NAME)).contains("point");
    }

    @Test
    void relaysUnmaskedDefinitionsUntouchedAndDropsTheExtendedMetadataOfMaskedOnes() throws Exception {
        for (CommandType type :
                List.of(CommandType.COM_QUERY, CommandType.COM_STMT_PREPARE, CommandType.COM_FIELD_LIST)) {
            List<Packet> received = received(type);
            List<Packet> sent = relay(type, received, new MaskColumnsNamed(REDACT, "doc", "pos"));

            List<byte[]> before = definitions(type, received);
            List<byte[]> sentDefinitions = definitions(type, sent);
            List<ColumnDefinition41Packet> after = sentDefinitions.stream()
                    .map(definition -> ColumnDefinition41Packet.read(payload(definition), true))
                    .toList();
            assertThat(sentDefinitions.get(0)).isEqualTo(before.get(0));
            assertThat(sentDefinitions.get(3)).isEqualTo(before.get(3));
            assertThat(after.get(1).extendedMetadata()).isEmpty();
            assertThat(after.get(2).extendedMetadata()).isEmpty();
            assertThat(after.get(2).type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        }
    }

    @Test
    void aColumnMaskedToNullKeepsItsFormatName() throws Exception {
        List<Packet> sent =
                relay(CommandType.COM_QUERY, received(CommandType.COM_QUERY), new MaskColumnsNamed(TO_NULL, "doc"));

        ColumnDefinition41Packet doc = ColumnDefinition41Packet.read(
                payload(definitions(CommandType.COM_QUERY, sent).get(1)), true);
        assertThat(doc.extendedMetadata(EXTENDED_FORMAT_NAME)).contains("json");
    }

    private static List<Packet> received(CommandType type) throws Exception {
        MySQLPacket command = switch (type) {
            case COM_QUERY -> new ComQueryPacket(SAMPLES);
            case COM_STMT_PREPARE -> new ComStmtPreparePacket(SAMPLES);
            default -> new ComFieldListPacket("samples", "");
        };
        return backend.response(command, new CommandResponseTracker(type, backend.capabilityFlags()));
    }

    private static List<Packet> relay(CommandType type, List<Packet> received, MaskColumnsNamed masking) {
        List<Packet> sent = new ArrayList<>();
        RelayedResponses.relay(
                frames(received),
                new CommandResponseTracker(type, backend.capabilityFlags()),
                new MaskingResponse(type, masking, allocator(), collector(sent), true));
        return sent;
    }

    /** The payloads of the column definitions (not the parameter definitions) in {@code packets}. */
    private static List<byte[]> definitions(CommandType type, List<Packet> packets) {
        CommandResponseTracker tracker = new CommandResponseTracker(type, backend.capabilityFlags());
        List<byte[]> definitions = new ArrayList<>();
        for (Packet packet : packets) {
            PacketRole role = tracker.accept(Unpooled.wrappedBuffer(packet.payload()));
            if (role == PacketRole.COLUMN_DEFINITION) {
                definitions.add(packet.payload());
            }
        }
        return definitions;
    }

    private static MySQLPayload payload(byte[] bytes) {
        return new MySQLPayload(Unpooled.wrappedBuffer(bytes));
    }

    private static byte[] bytes(ColumnDefinition41Packet packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return ByteBufUtil.getBytes(buffer);
    }
}
