package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;

/**
 * Consecutive frames relayed as they were received, found where they lie in the buffer the backend's bytes were read
 * into, headers and all: one slice of that buffer goes to the client for all of them, instead of a copy of each.
 * A frame is taken only where its payload is a slice of such a buffer, single-chunk, and the four bytes before it
 * there are its own header (its length and sequence id): so what is written is byte for byte what encoding the
 * frames would give, whatever made them. The bytes a span covers do not change while it is open: the frame decoder's
 * buffer is only appended to, and never compacted while a slice of it is held. Confined to the client's event loop.
 */
final class ReceivedSpan {

    /** The buffer the open span lies in, retained once for it; null while no span is open. */
    private ByteBuf received;

    private int start;
    private int end;

    boolean isOpen() {
        return received != null;
    }

    /**
     * Appends {@code frame} when it lies right where the open span ends and the span stays within {@code maxBytes};
     * the frame is released then, as the span holds its bytes.
     */
    boolean append(MySQLFrame frame, int maxBytes) {
        if (received == null || frame.payload().unwrap() != received) {
            return false;
        }
        int length = MySQLFrame.HEADER_LENGTH + frame.payload().readableBytes();
        if (!extend(headerIndex(received, frame), length, maxBytes)) {
            return false;
        }
        frame.release();
        return true;
    }

    /**
     * Appends whole packets that lie right where the open span ends in its buffer (rows taken a read at a time, see
     * {@link dev.agentgate.protocol.MySQLFrameRun}), when the span stays within {@code maxBytes}; {@code packets} is
     * released then, as the span holds its bytes.
     */
    boolean append(ByteBuf packets, int maxBytes) {
        if (received == null || receivedIn(packets) != received) {
            return false;
        }
        if (!extend(offsetIn(received, packets), packets.readableBytes(), maxBytes)) {
            return false;
        }
        packets.release();
        return true;
    }

    /**
     * Opens a span with whole packets (none may be open) and releases them.
     *
     * @return false when they are no slice of a buffer received: nothing changed
     */
    boolean open(ByteBuf packets) {
        ByteBuf buffer = receivedIn(packets);
        long at = buffer == null ? -1 : offsetIn(buffer, packets);
        if (at < 0) {
            return false;
        }
        begin(buffer, at, packets.readableBytes());
        packets.release();
        return true;
    }

    /** Whether a span can begin with {@code frame}: it lies with its own header in a buffer it was received in. */
    static boolean canOpen(MySQLFrame frame) {
        ByteBuf buffer = receivedIn(frame.payload());
        return buffer != null && headerIndex(buffer, frame) >= 0;
    }

    /**
     * Opens a span with {@code frame} (none may be open) and releases the frame.
     *
     * @return false when a span cannot begin with it ({@link #canOpen}): nothing changed
     */
    boolean open(MySQLFrame frame) {
        ByteBuf buffer = receivedIn(frame.payload());
        int at = buffer == null ? -1 : headerIndex(buffer, frame);
        if (at < 0) {
            return false;
        }
        begin(buffer, at, MySQLFrame.HEADER_LENGTH + frame.payload().readableBytes());
        frame.release();
        return true;
    }

    /** Takes the {@code length} bytes at {@code at} into the open span where they follow it within {@code maxBytes}. */
    private boolean extend(long at, int length, int maxBytes) {
        if (at != end || at + length - start > maxBytes) {
            return false;
        }
        end = (int) at + length;
        return true;
    }

    private void begin(ByteBuf buffer, long at, int length) {
        received = buffer.retain();
        start = (int) at;
        end = start + length;
    }

    /** The open span's bytes, for the caller to write (and so release); the span is closed. */
    ByteBuf take() {
        ByteBuf bytes = received.retainedSlice(start, end - start);
        discard();
        return bytes;
    }

    /** Closes the open span without writing it (the channel closed). */
    void discard() {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    /**
     * The buffer {@code slice} (a frame's payload, or whole packets) is a slice of; null if none. A leak-tracked
     * buffer (Netty samples some) comes wrapped: its tracker must see the last release, which a span's own reference
     * to the unwrapped buffer would bypass, so such bytes are copied or written as they are instead.
     */
    private static ByteBuf receivedIn(ByteBuf slice) {
        return slice instanceof WrappedByteBuf ? null : slice.unwrap();
    }

    /** Where {@code frame}'s header lies in {@code buffer}, its payload being a slice of it; -1 where it does not. */
    private static int headerIndex(ByteBuf buffer, MySQLFrame frame) {
        ByteBuf payload = frame.payload();
        long offset = offsetIn(buffer, payload);
        int length = payload.readableBytes();
        long header = offset - MySQLFrame.HEADER_LENGTH;
        if (frame.chunkCount() != 1 || offset < 0 || header < 0) {
            return -1;
        }
        int at = (int) header;
        boolean ownHeader =
                buffer.getUnsignedMediumLE(at) == length && buffer.getUnsignedByte(at + 3) == frame.sequenceId();
        return ownHeader ? at : -1;
    }

    /** Where {@code slice}'s readable bytes begin in {@code buffer}, wholly within what it holds; -1 where not. */
    private static long offsetIn(ByteBuf buffer, ByteBuf slice) {
        long offset;
        if (slice.hasMemoryAddress() && buffer.hasMemoryAddress()) {
            offset = slice.memoryAddress() + slice.readerIndex() - buffer.memoryAddress();
        } else if (slice.hasArray() && buffer.hasArray() && slice.array() == buffer.array()) {
            offset = (long) slice.arrayOffset() + slice.readerIndex() - buffer.arrayOffset();
        } else {
            return -1;
        }
        return offset < 0 || offset + slice.readableBytes() > buffer.writerIndex() ? -1 : offset;
    }
}
