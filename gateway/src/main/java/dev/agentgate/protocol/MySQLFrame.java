package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;

/**
 * One logical MySQL packet: its payload (reassembled when it arrived split into 16 MiB-1 chunks), the sequence
 * id of its first chunk and how many chunks it takes on the wire. Reference counting delegates to the payload,
 * so whoever receives a frame must release it (or pass it on to a handler that does).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL Packets</a>
 */
public final class MySQLFrame implements ReferenceCounted {

    /** Bytes of a chunk's header: int<3> payload length, int<1> sequence id. */
    public static final int HEADER_LENGTH = 4;

    /** Payload length that marks a chunk as "more chunks follow". */
    public static final int MAX_CHUNK_LENGTH = 0xFFFFFF;

    private final int sequenceId;
    private final int chunkCount;
    private final ByteBuf payload;

    /** Takes ownership of {@code payload}. */
    public MySQLFrame(int sequenceId, int chunkCount, ByteBuf payload) {
        if (sequenceId < 0 || sequenceId > 0xFF) {
            throw new IllegalArgumentException("sequenceId must be 0..255, was " + sequenceId);
        }
        if (chunkCount < 1) {
            throw new IllegalArgumentException("chunkCount must be at least 1, was " + chunkCount);
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        this.sequenceId = sequenceId;
        this.chunkCount = chunkCount;
        this.payload = payload;
    }

    /** A frame for a payload about to be sent; the chunk count is the one the encoder will produce. */
    public static MySQLFrame of(int sequenceId, ByteBuf payload) {
        return new MySQLFrame(sequenceId, chunkCountFor(payload.readableBytes()), payload);
    }

    /** Serializes {@code packet} into a new buffer from {@code allocator}; the caller owns the result. */
    public static MySQLFrame fromPacket(MySQLPacket packet, int sequenceId, ByteBufAllocator allocator) {
        ByteBuf buffer = allocator.buffer();
        try {
            packet.write(new MySQLPayload(buffer));
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
        return of(sequenceId, buffer);
    }

    /** Chunks needed on the wire: a payload of an exact multiple of 0xFFFFFF needs an empty trailing chunk. */
    public static int chunkCountFor(int payloadLength) {
        return payloadLength / MAX_CHUNK_LENGTH + 1;
    }

    public int sequenceId() {
        return sequenceId;
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** The sequence id the packet after this one must carry. */
    public int nextSequenceId() {
        return (sequenceId + chunkCount) & 0xFF;
    }

    /** The sequence id after {@code sequenceId}: ids count modulo 256, so 255 is followed by 0. */
    public static int sequenceIdAfter(int sequenceId) {
        return (sequenceId + 1) & 0xFF;
    }

    public ByteBuf payload() {
        return payload;
    }

    /** A reader over the payload; reading moves the payload's reader index. */
    public MySQLPayload reader() {
        return new MySQLPayload(payload);
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public MySQLFrame retain() {
        payload.retain();
        return this;
    }

    @Override
    public MySQLFrame retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public MySQLFrame touch() {
        payload.touch();
        return this;
    }

    @Override
    public MySQLFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "MySQLFrame(seq=" + sequenceId + ", chunks=" + chunkCount + ", length=" + payload.readableBytes() + ")";
    }
}
