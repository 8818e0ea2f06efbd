package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run may hold only what the response tracker takes as rows: for every first byte and the lengths that tell an end
 * packet from a row, a packet a run admits is a row to {@link CommandResponseTracker#accept}, and a row the tracker
 * takes that a run does not admit is only ever a longer 0xFE one, which goes as a frame.
 */
class RowRunAdmissionTest {

    private static final long DEPRECATE_EOF = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;

    @ParameterizedTest
    @EnumSource(MySQLFrameRun.Rows.class)
    void everyPacketARunAdmitsIsARowToTheTracker(MySQLFrameRun.Rows rows) {
        for (long capabilities : new long[] {CapabilityFlags.CLIENT_PROTOCOL_41, DEPRECATE_EOF}) {
            for (int first = 0; first < 256; first++) {
                for (int length : new int[] {1, 5, 7, 9, 300}) {
                    if (!rows.admits(first)) {
                        continue;
                    }
                    CommandResponseTracker tracker = inRows(rows, capabilities);
                    ByteBuf packet = packet(first, length);

                    assertThat(tracker.accept(packet))
                            .as("first byte 0x%02x, %d bytes", first, length)
                            .isEqualTo(rows == MySQLFrameRun.Rows.BINARY ? PacketRole.BINARY_ROW : PacketRole.TEXT_ROW);
                    assertThat(tracker.rowsAhead()).isEqualTo(rows);
                    packet.release();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MySQLFrameRun.Rows.class)
    void theTrackerRefusesARunOfRowsOutsideARowsPhase(MySQLFrameRun.Rows rows) {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, DEPRECATE_EOF);
        MySQLFrameRun run = new MySQLFrameRun(packet(0, 5), 1, rows, 0, 5);

        assertThat(tracker.rowsAhead()).isNull();
        assertThatThrownBy(() -> tracker.acceptRows(run)).isInstanceOf(IllegalStateException.class);
        run.release();
    }

    /** A tracker past the column definitions of a one-column result set, where rows of {@code rows}' kind come. */
    private static CommandResponseTracker inRows(MySQLFrameRun.Rows rows, long capabilities) {
        CommandType command = rows == MySQLFrameRun.Rows.BINARY ? CommandType.COM_STMT_FETCH : CommandType.COM_QUERY;
        CommandResponseTracker tracker = new CommandResponseTracker(command, capabilities);
        if (command == CommandType.COM_QUERY) {
            tracker.accept(packet(1, 1)); // column count 1
            tracker.accept(packet(3, 30)); // its definition
            if (!CapabilityFlags.has(capabilities, CapabilityFlags.CLIENT_DEPRECATE_EOF)) {
                tracker.accept(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFE, 0, 0, 0x22, 0}));
            }
        }
        return tracker;
    }

    private static ByteBuf packet(int first, int length) {
        ByteBuf payload = Unpooled.buffer(length);
        payload.writeByte(first).writeZero(length - 1);
        return payload;
    }
}
