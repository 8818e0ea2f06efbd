package dev.agentgate.session;

/**
 * How many response bytes of the current command of one session are kept (a sink's {@link
 * SessionEvents#responseBudget()}, the recorder's {@code recording.max_result_bytes}) and how much was cut beyond
 * that. What is kept is the response's first whole packets: once one packet does not fit, every later one is cut too,
 * so a recorded response is a prefix of what the client received. Used on one thread at a time (the session's), so it
 * needs no locking.
 */
public final class ResponseBudget {

    private final long maxBytes;
    private long commandNo = -1;
    private long keptBytes;
    private long cutPackets;
    private long cutBytes;

    public ResponseBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Whether a response packet of {@code size} bytes of command {@code command} is kept. */
    public boolean admit(long command, int size) {
        if (command != commandNo) {
            commandNo = command;
            keptBytes = 0;
            cutPackets = 0;
            cutBytes = 0;
        }
        if (cutPackets == 0 && keptBytes + size <= maxBytes) {
            keptBytes += size;
            return true;
        }
        cutPackets++;
        cutBytes += size;
        return false;
    }

    /** What was cut of command {@code command}'s response. */
    public Cut cutOf(long command) {
        return command == commandNo ? new Cut(cutPackets, cutBytes) : Cut.NONE;
    }

    /** Response packets and bytes not kept. */
    public record Cut(long packets, long bytes) {
        public static final Cut NONE = new Cut(0, 0);

        /** Both cuts: what one cut first and another cut of what was left. */
        public Cut plus(Cut other) {
            return other.packets == 0 && other.bytes == 0
                    ? this
                    : new Cut(packets + other.packets, bytes + other.bytes);
        }
    }
}
