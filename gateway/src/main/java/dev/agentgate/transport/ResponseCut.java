package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.PacketRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a response early for the client: at the first row over the command's {@link RowBudget} ({@code max_rows}), or
 * at the next packet once asked ({@link #cutAtNextPacket}: a statement timeout, the token's expiry). That packet is
 * replaced by an error packet with its sequence id, which ends the response for every client (a row, an end packet
 * or an error may all be followed by an error); everything the backend still sends of the response is read and
 * dropped, and the statement is cancelled on the backend so that little comes. An error, not a clean end, because a
 * cut result must never be mistaken for the whole one. Confined to the session's event loop.
 */
final class ResponseCut {

    private static final Logger log = LoggerFactory.getLogger(ResponseCut.class);

    private final ClientConnection connection;
    private final MaskingSession masking;
    private final Runnable cancelStatement;
    private RowBudget rows = RowBudget.UNLIMITED;
    private ErrPacket cutWith;
    private boolean cut;
    /** The error the response in flight was cut with, else null. */
    private ErrPacket sent;

    /** @param cancelStatement stops the statement on the backend (KILL QUERY) */
    ResponseCut(ClientConnection connection, MaskingSession masking, Runnable cancelStatement) {
        this.connection = connection;
        this.masking = masking;
        this.cancelStatement = cancelStatement;
    }

    /** A command's response comes next, with this budget of rows. */
    void begin(RowBudget budget) {
        rows = budget;
        cutWith = null;
        cut = false;
        sent = null;
    }

    /** The rest of the response in flight goes no further than the next packet, which becomes {@code error}. */
    void cutAtNextPacket(ErrPacket error) {
        if (!cut && cutWith == null) {
            cutWith = error;
        }
    }

    /** Whether the response in flight was cut: the client got an error, whatever the backend answered. */
    boolean isCut() {
        return cut;
    }

    /** The error the client got in place of the rest of the response; null when it was not cut. */
    ErrPacket error() {
        return sent;
    }

    /**
     * @return true when the frame does not go to the client: it was released, or replaced by the error that cuts the
     *     response
     */
    boolean withholds(PacketRole role, MySQLFrame frame) {
        if (cut) {
            frame.release();
            return true;
        }
        if (cutWith == null && (role == PacketRole.TEXT_ROW || role == PacketRole.BINARY_ROW) && !rows.take()) {
            cutWith = maxRowsReached(rows.maxRows());
            cancelStatement.run();
        }
        if (cutWith == null) {
            return false;
        }
        connection.enterLogContext();
        log.info("response cut: {}", cutWith.message());
        // Under masking, sequence ids may have shifted; 0 means the masking has passed nothing on yet.
        int maskedSequenceId = masking.masks() ? masking.cutShort() : 0;
        int sequenceId = maskedSequenceId != 0 ? maskedSequenceId : frame.sequenceId();
        frame.release();
        connection
                .writer()
                .write(MySQLFrame.fromPacket(
                        cutWith, sequenceId, connection.client().alloc()));
        cut = true;
        sent = cutWith;
        cutWith = null;
        return true;
    }

    /**
     * Whether none of {@code count} rows would be cut ({@link #withholds} would let each through): nothing is cut or
     * asked to be, and all fit the budget.
     */
    boolean passesRows(long count) {
        return !cut && cutWith == null && rows.hasRoomFor(count);
    }

    /** Counts rows passed on without {@link #withholds}, as it would have ({@link #passesRows} said they pass). */
    void passedRows(long count) {
        rows.take(count);
    }

    static ErrPacket maxRowsReached(long maxRows) {
        return new ErrPacket(
                MySQLErrorCode.ER_QUERY_INTERRUPTED.code(),
                MySQLErrorCode.ER_QUERY_INTERRUPTED.sqlState(),
                "Query execution was interrupted: agentgate sent the first " + maxRows
                        + " rows, the policy's max_rows; the rest"
                        + " of the result was not sent (add a LIMIT or narrow the query)");
    }
}
