package dev.agentgate.transport.masking;

import static dev.agentgate.transport.masking.RelayedResponses.allocator;
import static dev.agentgate.transport.masking.RelayedResponses.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.enforcement.masking.ValueEncoding;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import dev.agentgate.transport.masking.RelayedResponses.MaskColumnsNamed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The masking state machine on responses built packet by packet: what real servers rarely send. */
class MaskingResponseTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;
    private static final int UTF8MB4 = 45;
    /** One byte more than a chunk can take: a value this long makes its row two chunks on the wire. */
    private static final byte[] HUGE = new byte[MySQLFrame.MAX_CHUNK_LENGTH + 1];

    /** Masks "a" into a value over 16 MiB, anything else into "x". */
    private static final MaskingStrategy HUGE_FOR_A = new MaskingStrategy() {
        @Override
        public byte[] mask(byte[] value, ValueEncoding encoding) {
            return Arrays.equals(value, new byte[] {'a'}) ? HUGE : new byte[] {'x'};
        }

        @Override
        public long maxMaskedLength(long valueBytes) {
            return HUGE.length;
        }
    };

    private final List<Packet> sent = new ArrayList<>();

    private static MySQLFrame frame(int sequenceId, byte... payload) {
        return new MySQLFrame(sequenceId, 1, Unpooled.wrappedBuffer(payload));
    }

    private static MySQLFrame frame(int sequenceId, MySQLPacket packet) {
        return MySQLFrame.fromPacket(packet, sequenceId, allocator());
    }

    private static MySQLFrame definition(int sequenceId, String name) {
        return frame(
                sequenceId,
                new ColumnDefinition41Packet(
                        "def",
                        "appdb",
                        "people",
                        "people",
                        name,
                        name,
                        UTF8MB4,
                        40,
                        ColumnType.MYSQL_TYPE_VAR_STRING.code(),
                        0,
                        0,
                        null));
    }

    private static MySQLFrame end(int sequenceId) {
        return frame(
                sequenceId,
                new OkPacket(
                        OkPacket.EOF_HEADER, 0, 0, ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, 0, "", new byte[0]));
    }

    private MaskingResponse response(ResponseMasking masking) {
        return new MaskingResponse(CommandType.COM_QUERY, masking, allocator(), collector(sent));
    }

    @Test
    void shiftsTheSequenceIdsOfEveryLaterPacketWhenAMaskedRowNeedsAnotherChunk() {
        List<MySQLFrame> frames = List.of(
                frame(1, (byte) 1),
                definition(2, "ssn"),
                frame(3, (byte) 1, (byte) 'a'),
                frame(4, (byte) 1, (byte) 'b'),
                end(5));

        RelayedResponses.relay(
                frames,
                new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES),
                response(new MaskColumnsNamed(HUGE_FOR_A, "ssn")));

        assertThat(sent).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 5, 6);
        assertThat(sent).extracting(Packet::chunkCount).containsExactly(1, 1, 2, 1, 1);
    }

    @Test
    void shiftsTheSequenceIdsOfEveryLaterPacketBackWhenAMaskedRowNeedsFewerChunks() {
        ByteBuf hugeRow = Unpooled.buffer();
        new MySQLPayload(hugeRow).writeBytesLenenc(HUGE);
        List<MySQLFrame> frames = List.of(
                frame(1, (byte) 1),
                definition(2, "ssn"),
                MySQLFrame.of(3, hugeRow),
                frame(5, (byte) 1, (byte) 'b'),
                end(6));

        RelayedResponses.relay(
                frames,
                new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES),
                response(new MaskColumnsNamed(HUGE_FOR_A, "ssn")));

        assertThat(sent).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 4, 5);
        assertThat(sent).extracting(Packet::chunkCount).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void countsEachMaskedValueOfEveryRowItSends() {
        java.util.concurrent.atomic.LongAdder masked = new java.util.concurrent.atomic.LongAdder();
        List<MySQLFrame> frames = List.of(
                frame(1, (byte) 2),
                definition(2, "ssn"),
                definition(3, "name"),
                frame(4, (byte) 1, (byte) 'a', (byte) 1, (byte) 'x'),
                frame(5, (byte) 1, (byte) 'b', (byte) 1, (byte) 'y'),
                end(6));

        RelayedResponses.relay(
                frames,
                new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES),
                response(new MaskColumnsNamed(HUGE_FOR_A, "ssn")).countingMaskedValues(masked::add));

        assertThat(masked.sum()).as("one masked column in each of two rows").isEqualTo(2);
    }

    @Test
    void refusesARowThatDoesNotFitItsDefinitionsAndReleasesIt() {
        MaskingResponse response = response(new MaskColumnsNamed(HUGE_FOR_A, "ssn"));
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES);
        RelayedResponses.relay(List.of(frame(1, (byte) 1), definition(2, "ssn")), tracker, response);
        MySQLFrame trailingBytes = frame(3, (byte) 1, (byte) 'b', (byte) 'c');

        assertThatThrownBy(() -> response.relay(tracker.accept(trailingBytes.payload()), trailingBytes))
                .isInstanceOf(MalformedPacketException.class);
        assertThat(trailingBytes.refCnt()).isZero();
        assertThat(sent).hasSize(2);
        assertThat(response.nextSequenceId()).isEqualTo(3);
    }

    @Test
    void releasesTheHeldPacketsWhenADefinitionCannotBeRead() {
        MaskingResponse response = response(new MaskColumnsNamed(HUGE_FOR_A, "ssn"));
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES);
        List<MySQLFrame> frames = List.of(frame(1, (byte) 2), definition(2, "ssn"), frame(3, (byte) 3, (byte) 'd'));
        RelayedResponses.relay(frames.subList(0, 2), tracker, response);

        assertThatThrownBy(() -> response.relay(tracker.accept(frames.get(2).payload()), frames.get(2)))
                .isInstanceOf(MalformedPacketException.class);
        assertThat(frames).allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
        assertThat(sent).isEmpty();
        assertThat(response.nextSequenceId()).isEqualTo(1);
    }

    @Test
    void refusesAMaskingThatMasksNothing() {
        assertThatThrownBy(() -> response(ResponseMasking.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks something");
    }
}
