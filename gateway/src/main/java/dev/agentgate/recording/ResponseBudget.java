package dev.agentgate.recording;

/**
 * How many response bytes of the current statement of one session are kept ({@code recording.max_result_bytes}) and
 * how much was cut beyond that. Used on the session's own thread only, so it needs no locking.
 */
final class ResponseBudget {

    private final int maxBytes;
    private long commandNo = -1;
    private long keptBytes;
    private long cutPackets;
    private long cutBytes;

    ResponseBudget(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Whether a response packet of {@code size} bytes of command {@code command} is kept. */
    boolean admit(long command, int size) {
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
    Cut cutOf(long command) {
        return command == commandNo ? new Cut(cutPackets, cutBytes) : Cut.NONE;
    }

    /** Response packets and bytes not kept. */
    record Cut(long packets, long bytes) {
        static final Cut NONE = new Cut(0, 0);
    }
}
