package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link MySQLFrame} as 4-byte headers plus retained slices of its payload (no copy); a payload shorter
 * than {@link #COPY_BELOW_BYTES} is copied behind its header into one buffer instead. Payloads of
 * 0xFFFFFF bytes or more are split into 0xFFFFFF-byte chunks with consecutive sequence ids, ending with a
 * shorter (possibly empty) chunk, exactly as {@link MySQLFrameDecoder} expects, so relayed frames keep their
 * sequence ids. Stateless, hence shareable.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL Packets</a>
 */
@Sharable
public final class MySQLFrameEncoder extends MessageToMessageEncoder<MySQLFrame> {

    /**
     * Below this payload length one contiguous buffer is cheaper than a composite of header and slice: most
     * packets (commands, OKs, column definitions, typical rows) are this small, and copying them costs less
     * than the composite, its header buffer and slice (bench/results/2026-11-24-frame-encoder-repeat.md:
     * about a fifth less gateway CPU per query for oltp_read_only). Only this value was measured, not tuned.
     */
    static final int COPY_BELOW_BYTES = 2048;

    public MySQLFrameEncoder() {
        super(MySQLFrame.class);
    }

    /** Whether {@code frame} is small enough to be copied whole behind its header rather than sliced. */
    public static boolean isCopied(MySQLFrame frame) {
        return frame.payload().readableBytes() < COPY_BELOW_BYTES;
    }

    /** Writes a frame that {@link #isCopied} as its header and a copy of its payload into {@code out}. */
    public static void copyInto(MySQLFrame frame, ByteBuf out) {
        ByteBuf payload = frame.payload();
        out.writeMediumLE(payload.readableBytes());
        out.writeByte(frame.sequenceId());
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MySQLFrame frame, List<Object> out) {
        ByteBuf payload = frame.payload();
        int offset = payload.readerIndex();
        int remaining = payload.readableBytes();
        int sequenceId = frame.sequenceId();
        if (isCopied(frame)) {
            ByteBuf packet = ctx.alloc().ioBuffer(MySQLFrame.HEADER_LENGTH + remaining);
            copyInto(frame, packet);
            out.add(packet);
            return;
        }
        // One message per frame (headers and payload slices as components, nothing copied): several
        // messages per write would make the encoder combine their promises, a cost on every packet.
        CompositeByteBuf packet = ctx.alloc().compositeDirectBuffer(2 * MySQLFrame.chunkCountFor(remaining));
        while (true) {
            int chunkLength = Math.min(remaining, MySQLFrame.MAX_CHUNK_LENGTH);
            ByteBuf header = ctx.alloc().ioBuffer(MySQLFrame.HEADER_LENGTH);
            header.writeMediumLE(chunkLength);
            header.writeByte(sequenceId);
            packet.addComponent(true, header);
            if (chunkLength > 0) {
                packet.addComponent(true, payload.retainedSlice(offset, chunkLength));
            }
            offset += chunkLength;
            remaining -= chunkLength;
            sequenceId = (sequenceId + 1) & 0xFF;
            if (chunkLength < MySQLFrame.MAX_CHUNK_LENGTH) {
                out.add(packet);
                return;
            }
        }
    }
}
