package dev.agentgate.transport.masking;

import static dev.agentgate.transport.masking.RelayedResponses.allocator;
import static dev.agentgate.transport.masking.RelayedResponses.collector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ValueEncoding;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import dev.agentgate.transport.masking.RelayedResponses.MaskColumnsNamed;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session's responses remember the last masked result set: what is described alike is masked alike, unplanned. */
class KnownResultSetTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;

    private static final MaskingStrategy X = new MaskingStrategy() {
        @Override
        public byte[] mask(byte[] value, ValueEncoding encoding) {
            return new byte[] {'x'};
        }

        @Override
        public long maxMaskedLength(long valueBytes) {
            return 1;
        }
    };

    private final KnownResultSet session = new KnownResultSet();

    private static ColumnDefinition41Packet column(String name) {
        return new ColumnDefinition41Packet(
                "def",
                "appdb",
                "people",
                "people",
                name,
                name,
                45,
                40,
                ColumnType.MYSQL_TYPE_VAR_STRING.code(),
                0,
                0,
                null);
    }

    /** One result set of one column {@code name} and one row holding {@code value}. */
    private static List<MySQLFrame> resultSet(String name, char value) {
        return List.of(
                new MySQLFrame(1, 1, Unpooled.wrappedBuffer(new byte[] {1})),
                MySQLFrame.fromPacket(column(name), 2, allocator()),
                new MySQLFrame(3, 1, Unpooled.wrappedBuffer(new byte[] {1, (byte) value})),
                MySQLFrame.fromPacket(
                        new OkPacket(
                                OkPacket.EOF_HEADER,
                                0,
                                0,
                                ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT,
                                0,
                                "",
                                new byte[0]),
                        4,
                        allocator()));
    }

    /** Relays the frames as one COM_QUERY response of this session; the packets the client got. */
    private List<Packet> relay(MaskingResponse response, List<MySQLFrame> frames) {
        List<Packet> sent = new ArrayList<>();
        RelayedResponses.relay(
                frames, new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES), response.remembering(session));
        return sent;
    }

    private MaskingResponse response(MaskColumnsNamed masking, List<Packet> sent) {
        return new MaskingResponse(CommandType.COM_QUERY, masking, allocator(), collector(sent)).remembering(session);
    }

    private static List<String> rowValues(List<Packet> sent) {
        return List.of(new String(sent.get(2).payload(), 1, sent.get(2).payload().length - 1));
    }

    @Test
    void aResultSetDescribedByTheSameBytesUnderTheSameMaskingIsMaskedAlikeWithoutPlanningAgain() {
        MaskColumnsNamed masking = new MaskColumnsNamed(X, "ssn");
        List<Packet> first = new ArrayList<>();
        List<Packet> second = new ArrayList<>();

        relay(response(masking, first), resultSet("ssn", 'a'));
        relay(response(masking, second), resultSet("ssn", 'b'));

        assertThat(masking.askedResults).as("planned once for both responses").containsExactly(0);
        assertThat(rowValues(first)).containsExactly("x");
        assertThat(rowValues(second)).containsExactly("x");
        assertThat(second.get(1).payload())
                .as("the rewritten definition")
                .isEqualTo(first.get(1).payload());
    }

    @Test
    void aResultSetDescribedOtherwiseIsPlannedAgainAndMaskedByItsOwnPlan() {
        MaskColumnsNamed masking = new MaskColumnsNamed(X, "ssn");
        List<Packet> second = new ArrayList<>();

        relay(response(masking, new ArrayList<>()), resultSet("ssn", 'a'));
        relay(response(masking, second), resultSet("name", 'b'));

        assertThat(masking.askedResults).containsExactly(0, 0);
        assertThat(rowValues(second)).as("name is not masked").containsExactly("b");
    }

    @Test
    void anotherMaskingIsAskedForItsOwnPlanThoughTheResultSetIsDescribedAlike() {
        MaskColumnsNamed ssnMasked = new MaskColumnsNamed(X, "ssn");
        MaskColumnsNamed nothingOfItMasked = new MaskColumnsNamed(X, "email");
        List<Packet> second = new ArrayList<>();

        relay(response(ssnMasked, new ArrayList<>()), resultSet("ssn", 'a'));
        relay(response(nothingOfItMasked, second), resultSet("ssn", 'b'));

        assertThat(nothingOfItMasked.askedResults).containsExactly(0);
        assertThat(rowValues(second)).containsExactly("b");
    }

    @Test
    void anExecuteCheckedAgainstItsPrepareIsPlannedEveryTime() {
        MaskColumnsNamed masking = new MaskColumnsNamed(X, "ssn");

        for (char value : new char[] {'a', 'b'}) {
            relay(
                    response(masking, new ArrayList<>()).expectingColumns(List.of(column("ssn"))),
                    resultSet("ssn", value));
        }

        assertThat(masking.askedResults).containsExactly(0, 0);
    }

    @Test
    void aResultSetDescribedByMoreThanTheRememberedBytesIsNotKept() {
        MaskColumnsNamed masking = new MaskColumnsNamed(X, "ssn");
        String wide = "c".repeat(KnownResultSet.MAX_REMEMBERED_BYTES);

        relay(response(masking, new ArrayList<>()), resultSet(wide, 'a'));
        relay(response(masking, new ArrayList<>()), resultSet(wide, 'b'));

        assertThat(masking.askedResults).containsExactly(0, 0);
    }
}
