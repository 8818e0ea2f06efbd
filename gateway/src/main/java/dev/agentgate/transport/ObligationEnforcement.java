package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import java.util.function.BooleanSupplier;

/**
 * The policy's obligations for the command about to go to the backend, and the cancelling of a running statement that
 * they (and the token's expiry) share: the {@link RowBudget} its response is cut at, the server-side bound of a
 * plain SELECT ({@link ServerSideTimeout}), the gateway's own {@code statement_timeout_ms} timer, and {@link
 * #cutRunningStatement} (KILL QUERY, the rest of the response replaced by an error). Confined to the session's event
 * loop.
 */
final class ObligationEnforcement {

    private final ClientConnection connection;
    private final PreparedStatements prepared;
    private final RunningStatementCancel cancel;
    private final ResponseCut cut;
    private final BooleanSupplier responseInFlight;
    /** The obligations of the command begun last. */
    private CommandObligations current = CommandObligations.NONE;
    /** The {@code statement_timeout_ms} timer of the session, made at its first bounded statement. */
    private StatementTimer statementTimer;
    /** The bound of the statement whose response is in flight, for its error. */
    private long runningLimitMs;

    ObligationEnforcement(
            ClientConnection connection,
            PreparedStatements prepared,
            RunningStatementCancel cancel,
            ResponseCut cut,
            BooleanSupplier responseInFlight) {
        this.connection = connection;
        this.prepared = prepared;
        this.cancel = cancel;
        this.cut = cut;
        this.responseInFlight = responseInFlight;
    }

    /**
     * A command is about to be forwarded: its obligations take effect.
     *
     * @return null, or the error to refuse it with when an obligation cannot be enforced (it must not run then)
     */
    ErrPacket begin(MySQLFrame frame, CommandType command, GateResult.Proceed proceed) {
        current = CommandObligations.of(frame.payload(), command, proceed, prepared);
        if (current.statementTimeout() != null && !cancel.canCancel()) {
            current = CommandObligations.NONE;
            return Errors.of(
                    MySQLErrorCode.ER_UNKNOWN_ERROR,
                    "agentgate cannot enforce the policy's statement_timeout_ms here; the statement was not run");
        }
        cut.begin(current.rowBudget(frame.payload(), command, prepared));
        return null;
    }

    /** What goes to the backend for the command begun last: {@code frame}, or a copy bounded on the server (then {@code frame} is released). */
    MySQLFrame toSend(MySQLFrame frame, CommandType command, GateResult.Proceed proceed) {
        return ServerSideTimeout.bound(
                frame,
                command,
                proceed,
                current.statementTimeout(),
                connection.backend().alloc());
    }

    /** The command went to the backend and its response is on its way: the statement timeout starts. */
    void responseExpected() {
        if (current.statementTimeout() == null) {
            return;
        }
        runningLimitMs = current.statementTimeout().toMillis();
        statementTimer().start(current.statementTimeout());
    }

    /** The response is complete: its statement timeout no longer applies. */
    void responseDone() {
        if (statementTimer != null) {
            statementTimer.stop();
        }
    }

    /** The session closed: no timer of it may fire or keep it in memory. */
    void closed() {
        if (statementTimer != null) {
            statementTimer.close();
        }
    }

    private StatementTimer statementTimer() {
        if (statementTimer == null) {
            statementTimer = new StatementTimer(connection.client().eventLoop(), () -> {
                connection.enterLogContext();
                cutRunningStatement(Errors.of(
                        MySQLErrorCode.ER_STATEMENT_TIMEOUT,
                        "Query execution was interrupted (max_statement_time exceeded):"
                                + " agentgate's statement_timeout_ms of " + runningLimitMs
                                + " ms, set by the policy"));
            });
        }
        return statementTimer;
    }

    /** Cancels the running statement on the backend; the client gets {@code error} in place of the rest of its response. */
    void cutRunningStatement(ErrPacket error) {
        if (!responseInFlight.getAsBoolean()) {
            return;
        }
        cut.cutAtNextPacket(error);
        cancel.cancelQuery(error.message());
    }
}
