package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.transport.masking.KnownResultSet;
import dev.agentgate.transport.masking.MaskingResponse;
import dev.agentgate.transport.masking.MaskingUnion;
import dev.agentgate.transport.masking.WithheldDiagnostics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Which responses of one session go through a {@link MaskingResponse}, and with what masking:
 * <ul>
 * <li>a command whose own decision masks;</li>
 * <li>an EXECUTE of a prepared statement whose PREPARE's decision masks, united with the EXECUTE's own decision
 * when the policy decided it again ({@code reask_on_execute}): execute-time strategy first, per column;</li>
 * <li>a COM_STMT_FETCH of a cursor that a masked EXECUTE opened, with that EXECUTE's row masker;</li>
 * <li>SHOW WARNINGS / SHOW ERRORS while the server's diagnostics may still hold what a masked statement caused.
 * MariaDB keeps warnings across statements that use no table ({@code SELECT 1}, {@code SET}, {@code DO}), so they
 * stay withheld until a command that was not masked and reads a table succeeds.</li>
 * </ul>
 * A session that never masked pays one check per command. Confined to the session's event loop.
 */
final class MaskingSession {

    /** COM_STMT_EXECUTE and COM_STMT_FETCH: command int<1>, statement_id int<4>. */
    private static final int STATEMENT_ID_END = 5;

    private final PreparedStatements prepared;
    private final ByteBufAllocator allocator;
    private final Consumer<MySQLFrame> client;
    private final boolean extendedMetadata;
    private boolean statementsMasked;
    private boolean diagnosticsWithheld;
    private boolean clearsDiagnostics;
    /** The current command is a PREPARE whose response is masked: its columns are kept for its EXECUTEs. */
    private boolean preparing;

    private PreparedStatements.Statement executing;
    private MaskingResponse response;
    private LongConsumer maskedValues = count -> {};
    /** The last masked result set of the session: the next one described alike is masked alike, without planning. */
    private final KnownResultSet known = new KnownResultSet();

    /** @param client where the client's packets go (the client channel's write) */
    MaskingSession(PreparedStatements prepared, ByteBufAllocator allocator, Consumer<MySQLFrame> client) {
        this(prepared, allocator, client, false);
    }

    /** @param extendedMetadata whether column definitions carry MariaDB's extended metadata (negotiated at login) */
    MaskingSession(
            PreparedStatements prepared,
            ByteBufAllocator allocator,
            Consumer<MySQLFrame> client,
            boolean extendedMetadata) {
        this.prepared = prepared;
        this.allocator = allocator;
        this.client = client;
        this.extendedMetadata = extendedMetadata;
    }

    /**
     * A command is about to go to the backend.
     *
     * @param proceed the policy's verdict on it, null for commands the policy does not decide
     * @return what its response goes through, or null when it passes untouched
     */
    MaskingResponse begin(ByteBuf command, CommandType type, GateResult.Proceed proceed) {
        response = choose(command, type, proceed);
        return response == null
                ? null
                : response.countingMaskedValues(maskedValues).remembering(known);
    }

    /** From now on {@code sink} is told how many masked values each row sent carried (the gateway's metrics). */
    MaskingSession countingMaskedValues(LongConsumer sink) {
        this.maskedValues = sink;
        return this;
    }

    private MaskingResponse choose(ByteBuf command, CommandType type, GateResult.Proceed proceed) {
        ResponseMasking masking = proceed == null ? ResponseMasking.NONE : proceed.masking();
        executing = null;
        preparing = false;
        clearsDiagnostics = false;
        if (!masking.masksAnything() && !statementsMasked && !diagnosticsWithheld) {
            return null;
        }
        if (type == CommandType.COM_STMT_PREPARE) {
            statementsMasked |= masking.masksAnything();
            preparing = masking.masksAnything();
        } else if (type == CommandType.COM_STMT_EXECUTE || type == CommandType.COM_STMT_FETCH) {
            PreparedStatements.Statement statement = command.readableBytes() < STATEMENT_ID_END
                    ? null
                    : prepared.find(command.getIntLE(command.readerIndex() + 1));
            if (statement != null && type == CommandType.COM_STMT_FETCH) {
                return statement.executed == null ? null : statement.executed.fetch();
            }
            if (statement != null) {
                masking = withheldDiagnostics(MaskingUnion.of(masking, statement.masking), statement.sql);
                executing = statement;
                // Not for a cursor: MariaDB describes a cursor's columns as those of the table it materialises them in.
                if (masking.masksAnything() && statement.describedColumns != null && !opensCursor(command)) {
                    return new MaskingResponse(type, masking, allocator, client, extendedMetadata)
                            .expectingColumns(statement.describedColumns);
                }
            }
        } else if (type == CommandType.COM_QUERY && diagnosticsWithheld) {
            masking = withheldDiagnostics(
                    masking,
                    ComQueryPacket.read(new MySQLPayload(command.duplicate())).sql());
            clearsDiagnostics = !masking.masksAnything()
                    && proceed != null
                    && proceed.statements().stream()
                            .anyMatch(statement -> !statement.tables().isEmpty());
        }
        return masking.masksAnything() ? new MaskingResponse(type, masking, allocator, client, extendedMetadata) : null;
    }

    private static boolean opensCursor(ByteBuf execute) {
        return execute.readableBytes() <= STATEMENT_ID_END
                || execute.getUnsignedByte(execute.readerIndex() + STATEMENT_ID_END)
                        != ComStmtExecutePacket.CURSOR_TYPE_NO_CURSOR;
    }

    /** {@code masking}, plus the Message column withheld if {@code sql} shows diagnostics that may be a masked statement's. */
    private ResponseMasking withheldDiagnostics(ResponseMasking masking, String sql) {
        return diagnosticsWithheld && sql != null && WithheldDiagnostics.isDiagnosticsQuery(sql)
                ? MaskingUnion.of(masking, WithheldDiagnostics.MASKING)
                : masking;
    }

    /** Whether the current response goes through a {@link MaskingResponse}. */
    boolean masks() {
        return response != null;
    }

    /**
     * Relays a packet of the current response through its {@link MaskingResponse}.
     *
     * @throws RuntimeException when it cannot be masked: see {@link #abandon}
     */
    void relay(PacketRole role, MySQLFrame frame) {
        response.relay(role, frame);
    }

    /** Whether the current response may take rows as one run now ({@link MaskingResponse#takesRowRuns}). */
    boolean takesRowRuns() {
        return response.takesRowRuns();
    }

    /**
     * The rows of {@code run} as the client is to get them, through the current {@link MaskingResponse}; null: take
     * them one by one ({@link MaskingResponse#rowsOf}).
     *
     * @throws RuntimeException when they cannot be masked: see {@link #abandon}
     */
    ByteBuf rowsOf(MySQLFrameRun run) {
        return response.rowsOf(run);
    }

    /** The current response could not be masked and goes no further; the sequence id an error must take instead. */
    int abandon() {
        int sequenceId = response.nextSequenceId();
        response.discard();
        response = null;
        executing = null;
        return sequenceId;
    }

    /**
     * The rest of the current response goes no further (the gateway cut it short): what it holds back is released, but
     * the session's masking state stays as if it had ended with an error ({@link #end} follows), so that diagnostics
     * stay withheld and a cursor's fetches are masked alike.
     *
     * @return the sequence id an error must take instead; 0 when nothing of the response was passed on yet
     */
    int cutShort() {
        int sequenceId = response.nextSequenceId();
        response.discard();
        return sequenceId;
    }

    /**
     * The response to the command of the last {@link #begin} is complete.
     *
     * @param succeeded whether it ended without an error
     */
    void end(boolean succeeded) {
        PreparedStatements.Statement justPrepared =
                preparing && succeeded ? prepared.find(PreparedStatements.LAST_PREPARED) : null;
        if (justPrepared != null && response != null) {
            justPrepared.describedColumns = response.columnsDescribed();
        }
        preparing = false;
        if (executing != null) {
            executing.executed = response;
            statementsMasked |= response != null;
            executing = null;
        }
        if (response != null) {
            diagnosticsWithheld = true;
        } else if (clearsDiagnostics && succeeded) {
            diagnosticsWithheld = false;
        }
        response = null;
    }

    /** The session ended: releases what the current response holds back. */
    void close() {
        if (response != null) {
            response.discard();
        }
    }
}
