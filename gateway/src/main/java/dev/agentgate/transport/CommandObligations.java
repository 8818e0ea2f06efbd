package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.policy.Decision;
import dev.agentgate.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The obligations one command runs under: the strictest of every decision behind it (each statement of a batch; for
 * COM_STMT_EXECUTE and COM_STMT_FETCH also the decisions its PREPARE was allowed with). {@code max_rows} counts the
 * rows of the whole response (all result sets of a batch or procedure; a cursor's fetches together).
 *
 * @param maxRows -1 when no limit
 * @param statementTimeout null when no limit
 */
record CommandObligations(long maxRows, Duration statementTimeout) {

    static final CommandObligations NONE = new CommandObligations(-1, null);

    /** COM_STMT_EXECUTE and COM_STMT_FETCH: command int<1>, statement_id int<4>. */
    private static final int STATEMENT_ID_END = 5;

    static CommandObligations of(
            ByteBuf command, CommandType type, GateResult.Proceed proceed, PreparedStatements prepared) {
        List<Decision> decisions = new ArrayList<>(proceed == null ? List.of() : proceed.decisions());
        PreparedStatements.Statement statement = statementOf(command, type, prepared);
        if (statement != null) {
            decisions.addAll(statement.decisions);
        }
        if (decisions.isEmpty()) {
            return NONE;
        }
        long maxRows = -1;
        Duration timeout = null;
        for (Decision decision : decisions) {
            Decision.Obligations obligations = obligationsOf(decision);
            if (obligations.maxRows().isPresent()) {
                maxRows = maxRows < 0
                        ? obligations.maxRows().get()
                        : Math.min(maxRows, obligations.maxRows().get());
            }
            if (obligations.statementTimeout().isPresent()) {
                Duration limit = obligations.statementTimeout().get();
                timeout = timeout == null || limit.compareTo(timeout) < 0 ? limit : timeout;
            }
        }
        return new CommandObligations(maxRows, timeout);
    }

    private static Decision.Obligations obligationsOf(Decision decision) {
        if (decision instanceof Decision.Allow allow) {
            return allow.obligations();
        }
        if (decision instanceof Decision.Mask mask) {
            return mask.obligations();
        }
        return Decision.Obligations.NONE;
    }

    /** The prepared statement an EXECUTE or FETCH runs, else null. */
    static PreparedStatements.Statement statementOf(ByteBuf command, CommandType type, PreparedStatements prepared) {
        if ((type != CommandType.COM_STMT_EXECUTE && type != CommandType.COM_STMT_FETCH)
                || command.readableBytes() < STATEMENT_ID_END) {
            return null;
        }
        return prepared.find(command.getIntLE(command.readerIndex() + 1));
    }

    /**
     * The row budget of the command's response: a fetch continues its cursor's (the EXECUTE's), every other command
     * starts one.
     */
    RowBudget rowBudget(ByteBuf command, CommandType type, PreparedStatements prepared) {
        PreparedStatements.Statement statement = statementOf(command, type, prepared);
        if (type == CommandType.COM_STMT_FETCH && statement != null && statement.rows != null) {
            return statement.rows;
        }
        RowBudget budget = maxRows < 0 ? RowBudget.UNLIMITED : new RowBudget(maxRows);
        if (statement != null && type == CommandType.COM_STMT_EXECUTE) {
            statement.rows = budget;
        }
        return budget;
    }
}
