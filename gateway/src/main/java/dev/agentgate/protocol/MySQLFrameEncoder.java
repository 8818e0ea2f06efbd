package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link MySQLFrame} as 4-byte headers plus retained slices of its payload (no copy). Payloads of
 * 0xFFFFFF bytes or more are split into 0xFFFFFF-byte chunks with consecutive sequence ids, ending with a
 * shorter (possibly empty) chunk, exactly as {@link MySQLFrameDecoder} expects, so relayed frames keep their
 * sequence ids. Stateless, hence shareable.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL Packets</a>
 */
@Sharable
public final class MySQLFrameEncoder extends MessageToMessageEncoder<MySQLFrame> {

    public MySQLFrameEncoder() {
        super(MySQLFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MySQLFrame frame, List<Object> out) {
        ByteBuf payload = frame.payload();
        int offset = payload.readerIndex();
        int remaining = payload.readableBytes();
        int sequenceId = frame.sequenceId();
        while (true) {
            int chunkLength = Math.min(remaining, MySQLFrame.MAX_CHUNK_LENGTH);
            ByteBuf header = ctx.alloc().ioBuffer(4);
            header.writeMediumLE(chunkLength);
            header.writeByte(sequenceId);
            out.add(header);
            if (chunkLength > 0) {
                out.add(payload.retainedSlice(offset, chunkLength));
            }
            offset += chunkLength;
            remaining -= chunkLength;
            sequenceId = (sequenceId + 1) & 0xFF;
            if (chunkLength < MySQLFrame.MAX_CHUNK_LENGTH) {
                return;
            }
        }
    }
}
