package dev.agentgate.transport.masking;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The packets around the rows of a masked response, rewritten so they cannot carry a masked value: errors become
 * generic, OK/EOF/PREPARE_OK packets lose their warning count. Everything else of a packet stays byte for byte.
 */
final class ResponsePackets {

    private static final int EOF_PACKET_MAX_LENGTH = 5;
    private static final int EOF_HEADER = 0xFE;
    /** COM_STMT_PREPARE_OK: status, statement_id int<4>, num_columns int<2>, num_params int<2>, filler, warning_count. */
    private static final int PREPARE_OK_WARNINGS_OFFSET = 10;

    private static final int WARNINGS_LENGTH = 2;

    private ResponsePackets() {}

    /** The error made generic (its code, SQLSTATE and message may tell a masked value): {@link WithheldDiagnostics#genericError}. */
    static ByteBuf withheldError(ByteBuf payload, ByteBufAllocator allocator) {
        ErrPacket error = ErrPacket.read(new MySQLPayload(payload.duplicate()));
        return MySQLFrame.fromPacket(WithheldDiagnostics.genericError(error), 0, allocator)
                .payload();
    }

    /**
     * A copy of the OK, EOF or PREPARE_OK packet whose warning count reads 0, or null when it already does (or
     * the packet has none): a client that sees no warnings does not ask for them.
     */
    static ByteBuf withoutWarnings(PacketRole role, ByteBuf payload, ByteBufAllocator allocator) {
        int offset = warningsOffset(role, payload);
        int length = payload.readableBytes();
        if (offset < 0
                || offset + WARNINGS_LENGTH > length
                || payload.getShortLE(payload.readerIndex() + offset) == 0) {
            return null;
        }
        ByteBuf copy = allocator.buffer(length, length);
        copy.writeBytes(payload, payload.readerIndex(), length);
        copy.setShortLE(offset, 0);
        return copy;
    }

    private static int warningsOffset(PacketRole role, ByteBuf payload) {
        if (role == PacketRole.PREPARE_OK) {
            return PREPARE_OK_WARNINGS_OFFSET;
        }
        if (payload.getUnsignedByte(payload.readerIndex()) == EOF_HEADER
                && payload.readableBytes() <= EOF_PACKET_MAX_LENGTH) {
            return 1; // EOF packet: header, warnings int<2>, status int<2>
        }
        // OK packet (0x00, or 0xFE under CLIENT_DEPRECATE_EOF): header, affected rows, last insert id, status, warnings
        MySQLPayload reader = new MySQLPayload(payload.duplicate());
        reader.skipReserved(1);
        reader.readIntLenenc();
        reader.readIntLenenc();
        reader.readInt2();
        return reader.byteBuf().readerIndex() - payload.readerIndex();
    }
}
