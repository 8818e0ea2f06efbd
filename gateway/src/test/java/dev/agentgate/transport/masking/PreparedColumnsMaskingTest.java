package dev.agentgate.transport.masking;

import static dev.agentgate.transport.masking.RelayedResponses.allocator;
import static dev.agentgate.transport.masking.RelayedResponses.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
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
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An EXECUTE's masks were planned for the columns its PREPARE described; when MariaDB prepared the statement again
 * (a view it reads was redefined) and describes other columns, its result set is masked whole.
 */
class PreparedColumnsMaskingTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;
    private static final int UTF8MB4 = 45;
    /** {@code label} of view shop.nameplate when it reads customers.name VARCHAR(50). */
    private static final ColumnDefinition41Packet NAME_LABEL = label("shop", ColumnType.MYSQL_TYPE_VAR_STRING, 200);

    private final List<Packet> sent = new ArrayList<>();

    private static ColumnDefinition41Packet label(String schema, ColumnType type, long length) {
        return new ColumnDefinition41Packet(
                "def", schema, "nameplate", "nameplate", "label", "label", UTF8MB4, length, type.code(), 0, 0, null);
    }

    private List<String> executed(ColumnDefinition41Packet described, ResponseMasking masking) {
        MaskingResponse response = new MaskingResponse(CommandType.COM_QUERY, masking, allocator(), collector(sent))
                .expectingColumns(List.of(NAME_LABEL));
        byte[] value = "078-05-1120".getBytes(StandardCharsets.UTF_8);
        byte[] row = new byte[value.length + 1];
        row[0] = (byte) value.length;
        System.arraycopy(value, 0, row, 1, value.length);
        List<MySQLFrame> frames = List.of(
                frame(1, Unpooled.wrappedBuffer(new byte[] {1})),
                frame(2, described),
                frame(3, Unpooled.wrappedBuffer(row)),
                frame(
                        4,
                        new OkPacket(
                                OkPacket.EOF_HEADER,
                                0,
                                0,
                                ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT,
                                0,
                                "",
                                new byte[0])));
        try {
            RelayedResponses.relay(frames, new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES), response);
        } catch (RuntimeException unmaskable) {
            // a response that could not be masked leaves the frames after the failing one unread: the relay drops them
            frames.stream().filter(frame -> frame.refCnt() > 0).forEach(MySQLFrame::release);
            throw unmaskable;
        }
        return RelayedResponses.resultSets(sent, new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES))
                .get(0)
                .rows()
                .get(0);
    }

    private static MySQLFrame frame(int sequenceId, MySQLPacket packet) {
        return MySQLFrame.fromPacket(packet, sequenceId, allocator());
    }

    private static MySQLFrame frame(int sequenceId, io.netty.buffer.ByteBuf payload) {
        return new MySQLFrame(sequenceId, 1, payload);
    }

    @Test
    void aResultSetThatDescribesThePreparedColumnsGetsItsPlannedMasks() {
        assertThat(executed(NAME_LABEL, new WholeWhenUnattributable())).containsExactly("078-05-1120");
    }

    @Test
    void aViewColumnThatBecameAnExpressionMasksTheResultWhole() {
        assertThat(executed(label("", ColumnType.MYSQL_TYPE_VAR_STRING, 368), new WholeWhenUnattributable()))
                .containsExactly("***");
    }

    @Test
    void aViewColumnThatReadsAnotherColumnMasksTheResultWhole() {
        assertThat(executed(label("shop", ColumnType.MYSQL_TYPE_STRING, 44), new WholeWhenUnattributable()))
                .containsExactly("***");
    }

    @Test
    void aMaskingThatCannotMaskTheChangedResultWholeEndsTheResponse() {
        ResponseMasking planningNothing = new WholeWhenUnattributable() {
            @Override
            public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
                return MaskPlan.none();
            }
        };

        assertThatThrownBy(() -> executed(label("", ColumnType.MYSQL_TYPE_VAR_STRING, 368), planningNothing))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("other columns than its PREPARE");
        assertThat(sent).isEmpty();
    }

    /** Plans nothing for the statement's own result, and every column for an unattributable one, as LineageMasking. */
    private static class WholeWhenUnattributable implements ResponseMasking {
        private static final MaskingStrategy STARS = new MaskingStrategy() {
            @Override
            public byte[] mask(byte[] value, ValueEncoding encoding) {
                return "***".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public long maxMaskedLength(long valueBytes) {
                return 3;
            }
        };

        @Override
        public boolean masksAnything() {
            return true;
        }

        @Override
        public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
            if (resultIndex != UNATTRIBUTABLE) {
                return MaskPlan.none();
            }
            MaskPlan.Builder plan = MaskPlan.builder();
            for (int column = 0; column < columns.size(); column++) {
                plan.mask(column, STARS);
            }
            return plan.build();
        }
    }
}
