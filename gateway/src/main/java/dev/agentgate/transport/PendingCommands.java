package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Commands a client sent ahead (pipelined) while an earlier one is still being decided or answered; they run in
 * order once it is done. The queue is bounded by {@link #isFull()}: the relay then stops reading the client, so a
 * client that floods the gateway holds at most this much memory. Confined to the session's event loop.
 */
final class PendingCommands {

    /** Reading stops only when this much waits: switching reads off and on per command costs two system calls. */
    static final int MAX_COMMANDS = 16;

    static final long MAX_BYTES = 1 << 20;

    private final Queue<MySQLFrame> frames = new ArrayDeque<>();
    private long bytes;

    void add(MySQLFrame frame) {
        frames.add(frame);
        bytes += frame.payload().readableBytes();
    }

    boolean isFull() {
        return frames.size() >= MAX_COMMANDS || bytes >= MAX_BYTES;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The oldest waiting command, now owned by the caller; null when none waits. */
    MySQLFrame poll() {
        MySQLFrame frame = frames.poll();
        if (frame != null) {
            bytes -= frame.payload().readableBytes();
        }
        return frame;
    }

    /** The session ended: nothing that waits will run. */
    void releaseAll() {
        MySQLFrame frame;
        while ((frame = frames.poll()) != null) {
            frame.release();
        }
        bytes = 0;
    }
}
