package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.function.Consumer;

/**
 * Consecutive rows of a result set as the bytes they were received in, headers and all: each a packet of a single
 * chunk whose first payload byte makes it a row of its {@link Rows} kind, never an end or error packet. The
 * {@link MySQLFrameDecoder} hands rows on this way when asked to ({@link MySQLFrameDecoder#emitRuns}), so a large
 * result can be passed on a read at a time instead of a packet at a time. Whoever cannot take the rows as one run
 * takes them one by one ({@link #forEachFrame}), exactly as the decoder would have handed them on. Reference
 * counting delegates to the bytes (a {@link DefaultByteBufHolder}).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html">Text Resultset</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html">Binary Protocol Resultset</a>
 */
public final class MySQLFrameRun extends DefaultByteBufHolder {

    /** Which rows a run may hold, told by the first payload byte alone, as {@link CommandResponseTracker} does. */
    public enum Rows {
        /**
         * Text rows: any packet but an EOF or OK with header 0xFE and an ERR (0xFF). A row does start with 0xFE when
         * its first value is 16 MiB or longer, but then it spans several chunks and is never in a run.
         */
        TEXT {
            @Override
            public boolean admits(int firstPayloadByte) {
                return firstPayloadByte != 0xFE && firstPayloadByte != 0xFF;
            }
        },
        /** Binary rows: header 0x00, as every binary row has. */
        BINARY {
            @Override
            public boolean admits(int firstPayloadByte) {
                return firstPayloadByte == 0x00;
            }
        };

        /** Whether a non-empty single-chunk packet starting with this byte is a row of this kind. */
        public abstract boolean admits(int firstPayloadByte);
    }

    private final int packets;
    private final Rows rows;
    private final int lastSequenceId;
    private final int largestPayload;

    /**
     * Takes ownership of {@code bytes}: {@code packets} whole packets of kind {@code rows}, headers included.
     *
     * @param lastSequenceId the sequence id of the last packet
     * @param largestPayload the length of the longest payload
     */
    public MySQLFrameRun(ByteBuf bytes, int packets, Rows rows, int lastSequenceId, int largestPayload) {
        super(bytes);
        if (packets < 1) {
            throw new IllegalArgumentException("a run holds at least one packet, was " + packets);
        }
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        this.packets = packets;
        this.rows = rows;
        this.lastSequenceId = lastSequenceId;
        this.largestPayload = largestPayload;
    }

    /** The packets as received: what the client is to get, byte for byte. */
    public ByteBuf bytes() {
        return content();
    }

    /** How many packets (rows) the run holds. */
    public int packets() {
        return packets;
    }

    public Rows rows() {
        return rows;
    }

    /** The sequence id of the last packet: the packet after the run carries the next one. */
    public int lastSequenceId() {
        return lastSequenceId;
    }

    /** The length of the run's longest payload. */
    public int largestPayload() {
        return largestPayload;
    }

    /**
     * Hands each packet on as the frame the decoder would have made of it (a retained slice of its payload), in
     * order, and releases the run: the caller owns each frame it is given.
     */
    public void forEachFrame(Consumer<MySQLFrame> each) {
        ByteBuf bytes = content();
        try {
            int at = bytes.readerIndex();
            for (int packet = 0; packet < packets; packet++) {
                int length = bytes.getUnsignedMediumLE(at);
                int sequenceId = bytes.getUnsignedByte(at + 3);
                ByteBuf payload = bytes.retainedSlice(at + MySQLFrame.HEADER_LENGTH, length);
                at += MySQLFrame.HEADER_LENGTH + length;
                each.accept(new MySQLFrame(sequenceId, 1, payload));
            }
        } finally {
            bytes.release();
        }
    }

    @Override
    public String toString() {
        return "MySQLFrameRun(" + rows + ", packets=" + packets + ", bytes="
                + content().readableBytes() + ")";
    }
}
