package dev.agentgate.enforcement;

/**
 * The effect people approved: the UPDATE or DELETE of request {@code requestId} was shown to change {@code rows}
 * rows, and may change no more. The data path runs it in a transaction it rolls back when it changes more.
 */
public record ApprovedRows(String requestId, long rows) {
    public ApprovedRows {
        if (rows < 0) {
            throw new IllegalArgumentException("approved rows must not be negative: " + rows);
        }
    }
}
