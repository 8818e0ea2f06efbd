package dev.agentgate.transport;

/**
 * How many rows a response may still carry to the client under the policy's {@code max_rows} obligation. One budget
 * per statement execution: a COM_QUERY has its own; a COM_STMT_EXECUTE's is shared by the COM_STMT_FETCHes of the
 * cursor it opens, so fetching in batches gets no more rows than reading at once. Confined to the session's event loop.
 */
final class RowBudget {

    /** For commands without a limit. */
    static final RowBudget UNLIMITED = new RowBudget(Long.MAX_VALUE);

    private final long maxRows;
    private long delivered;

    RowBudget(long maxRows) {
        this.maxRows = maxRows;
    }

    long maxRows() {
        return maxRows;
    }

    boolean isLimited() {
        return maxRows != Long.MAX_VALUE;
    }

    /** Whether {@code count} more rows are all within the limit. */
    boolean hasRoomFor(long count) {
        return maxRows - delivered >= count;
    }

    /** Counts {@code count} rows that {@link #hasRoomFor} had room for. */
    void take(long count) {
        delivered += count;
    }

    /** Counts one row; false when it is one more than the limit allows (it must not reach the client). */
    boolean take() {
        if (delivered >= maxRows) {
            return false;
        }
        delivered++;
        return true;
    }
}
