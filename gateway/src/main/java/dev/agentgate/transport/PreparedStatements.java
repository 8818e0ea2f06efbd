package dev.agentgate.transport;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.StatementGate;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.BoundParameters;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ComStmtClosePacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.ComStmtResetPacket;
import dev.agentgate.protocol.ComStmtSendLongDataPacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ParameterType;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.transport.masking.MaskingResponse;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The prepared statements the backend holds for one session, as far as the policy needs them: the SQL, facts
 * and decisions each PREPARE was allowed with, and, for statements whose decision set {@code
 * reask_on_execute}, what the backend knows of their parameters (the last bound types, long data), so that
 * every EXECUTE of them is decided again with the values it binds. It follows the backend: a statement
 * exists from its COM_STMT_PREPARE_OK until COM_STMT_CLOSE, COM_RESET_CONNECTION or the session's end.
 * Confined to the session's event loop.
 */
final class PreparedStatements {

    /** MariaDB: statement id 0xFFFFFFFF names the statement prepared last (a pipelined PREPARE + EXECUTE). */
    static final int LAST_PREPARED = -1;

    /** Long data kept per statement to show the policy; more ends the session rather than showing a cut value. */
    static final int MAX_LONG_DATA_BYTES = 16 << 20;

    /** One statement the backend holds. */
    static final class Statement {
        final int id;
        final String sql;
        final List<StatementFacts> facts;
        final List<Decision> decisions;
        final int numParams;
        final boolean reaskOnExecute;
        /** What every response to this statement masks: its PREPARE's decision. */
        final ResponseMasking masking;
        /** The columns its PREPARE's masked response described (its EXECUTEs must describe the same), else null. */
        List<ColumnDefinition41Packet> describedColumns;
        /** The masked response to its last EXECUTE (its cursor's COM_STMT_FETCH rows are masked alike), else null. */
        MaskingResponse executed;
        /** The rows its last EXECUTE may still send ({@code max_rows}), shared with its cursor's fetches; else null. */
        RowBudget rows;

        List<ParameterType> lastTypes = List.of();
        final Map<Integer, ByteArrayOutputStream> longData = new HashMap<>();
        int longDataBytes;

        Statement(int id, String sql, GateResult.Proceed verdict, int numParams) {
            this.id = id;
            this.sql = sql;
            this.facts = verdict.statements();
            this.decisions = verdict.decisions();
            this.numParams = numParams;
            this.reaskOnExecute =
                    decisions.stream().anyMatch(decision -> decision.caching().reaskOnExecute());
            this.masking = verdict.masking();
        }
    }

    /**
     * An EXECUTE the policy must decide again: the question with its bound values and the facts of the
     * prepared SQL, or a refusal the gateway reaches without asking; without bound values (null), an EXECUTE whose
     * PREPARE's masking is used again once the views it rests on are confirmed unchanged.
     */
    record Execution(
            Statement statement, BoundParameters parameters, PolicyQuestion question, GateResult.Refuse refusal) {

        CompletableFuture<GateResult> decide(StatementGate gate, Identity identity, SessionFacts session) {
            if (refusal != null) {
                return CompletableFuture.completedFuture(refusal);
            }
            return parameters == null
                    ? gate.recheckViews(session, statement.masking.viewsRead())
                    : gate.check(identity, session, question, statement.facts);
        }
    }

    private final Map<Integer, Statement> statements = new HashMap<>();
    /** Whether the bound values of every EXECUTE are kept for the session's record, not only those the policy sees. */
    private final boolean recordsParameters;

    private String preparingSql;
    private GateResult.Proceed preparingVerdict = new GateResult.Proceed(List.of(), List.of());
    private Integer lastPrepared;
    private Execution deciding;

    PreparedStatements() {
        this(false);
    }

    /** @param recordsParameters whether {@link #parametersOf} is asked for every EXECUTE (a sink records them) */
    PreparedStatements(boolean recordsParameters) {
        this.recordsParameters = recordsParameters;
    }

    /**
     * Looks at a client command before the policy decides it.
     *
     * @return for an EXECUTE of a statement whose PREPARE asked {@code reask_on_execute} (or whose masking rests on
     *     views, or of an unknown
     *     "last prepared" statement), what the policy must decide; else null
     * @throws MalformedPacketException when the bound values cannot be decoded exactly
     */
    Execution inspect(ByteBuf payload) {
        deciding = null;
        int command = payload.getUnsignedByte(payload.readerIndex());
        if (command == CommandType.COM_STMT_PREPARE.code()) {
            preparingSql = null;
            preparingVerdict = new GateResult.Proceed(List.of(), List.of());
            lastPrepared = null;
            return null;
        }
        if (command != CommandType.COM_STMT_EXECUTE.code()) {
            return null;
        }
        // COM_STMT_EXECUTE: command int<1>, statement_id int<4>. Only an execute the policy decides
        // again is decoded in full; every other one (nearly all) costs this one read.
        int statementId = payload.getIntLE(payload.readerIndex() + 1);
        if (statementId == LAST_PREPARED && lastPrepared == null) {
            String message = MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER.message("4294967295", "mysqld_stmt_execute")
                    + ": the last PREPARE did not succeed";
            return new Execution(
                    null,
                    BoundParameters.NONE,
                    null,
                    new GateResult.Refuse(
                            MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER.code(),
                            MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER.sqlState(),
                            message,
                            null));
        }
        Statement statement = find(statementId);
        if (statement == null) {
            return null;
        }
        if (!statement.reaskOnExecute) {
            // Its masking rests on view definitions another client may have changed since: checked before it runs.
            return statement.masking.viewsRead().isEmpty()
                    ? null
                    : new Execution(statement, null, PolicyQuestion.execute(statement.id, List.of()), null);
        }
        if (statement.longDataBytes > MAX_LONG_DATA_BYTES) {
            throw new MalformedPacketException("COM_STMT_SEND_LONG_DATA sent more than " + MAX_LONG_DATA_BYTES
                    + " bytes for a statement whose every execute the policy decides");
        }
        BoundParameters parameters = bound(statement, payload);
        deciding =
                new Execution(statement, parameters, PolicyQuestion.execute(statement.id, parameters.values()), null);
        return deciding;
    }

    /** The prepared text of the statement a COM_STMT_EXECUTE runs, null when the backend holds no such statement. */
    String sqlOf(ByteBuf execute) {
        Statement statement = execute.readableBytes() < 5 ? null : find(execute.getIntLE(execute.readerIndex() + 1));
        return statement == null ? null : statement.sql;
    }

    /**
     * The values a COM_STMT_EXECUTE binds, as text (null for SQL NULL, {@code 0x…} for binary values), decoded once
     * per EXECUTE: after {@link #inspect}, before {@link #forwarded}. Empty when they cannot be read exactly (the
     * backend then refuses the EXECUTE as well).
     */
    List<String> parametersOf(ByteBuf execute) {
        if (deciding == null || deciding.parameters() == null) {
            Statement statement =
                    execute.readableBytes() < 5 ? null : find(execute.getIntLE(execute.readerIndex() + 1));
            if (statement == null || statement.longDataBytes > MAX_LONG_DATA_BYTES) {
                return List.of();
            }
            try {
                deciding = new Execution(statement, bound(statement, execute), null, null);
            } catch (RuntimeException unreadable) {
                return List.of();
            }
        }
        return deciding.parameters().values().stream()
                .map(PreparedStatements::text)
                .toList();
    }

    private static BoundParameters bound(Statement statement, ByteBuf execute) {
        Map<Integer, byte[]> longData = new HashMap<>();
        statement.longData.forEach((param, bytes) -> longData.put(param, bytes.toByteArray()));
        return ComStmtExecutePacket.read(new MySQLPayload(execute.duplicate()))
                .parameters(statement.numParams, statement.lastTypes, longData);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes
                ? "0x" + HexFormat.of().formatHex(bytes)
                : value == null ? null : value.toString();
    }

    /** The policy allowed a PREPARE of {@code sql}; its response comes next. */
    void preparing(String sql, GateResult.Proceed verdict) {
        preparingSql = sql;
        preparingVerdict = verdict;
    }

    /** A client command goes to the backend: keep what the backend now holds. */
    void forwarded(ByteBuf payload) {
        try {
            follow(new MySQLPayload(payload.duplicate()));
        } catch (MalformedPacketException malformed) {
            // The backend refuses it as well and keeps its state.
        }
        deciding = null;
    }

    private void follow(MySQLPayload packet) {
        CommandType command = CommandType.fromCode(packet.peekInt1()).orElse(null);
        if (command == CommandType.COM_STMT_EXECUTE && deciding != null) {
            // The backend keeps the types it was sent and drops the long data once it executes.
            deciding.statement().lastTypes = deciding.parameters().types();
            deciding.statement().longData.clear();
            deciding.statement().longDataBytes = 0;
        } else if (command == CommandType.COM_STMT_SEND_LONG_DATA) {
            ComStmtSendLongDataPacket chunk = ComStmtSendLongDataPacket.read(packet);
            Statement statement = find(chunk.statementId());
            if (statement != null
                    && (statement.reaskOnExecute || recordsParameters)
                    && statement.longDataBytes <= MAX_LONG_DATA_BYTES) {
                statement
                        .longData
                        .computeIfAbsent(chunk.paramId(), param -> new ByteArrayOutputStream())
                        .writeBytes(chunk.data());
                statement.longDataBytes += chunk.data().length;
            }
        } else if (command == CommandType.COM_STMT_RESET) {
            Statement statement = find(ComStmtResetPacket.read(packet).statementId());
            if (statement != null) {
                statement.longData.clear();
                statement.longDataBytes = 0;
                statement.executed = null; // the reset closes the cursor
            }
        } else if (command == CommandType.COM_STMT_CLOSE) {
            Statement statement = find(ComStmtClosePacket.read(packet).statementId());
            if (statement != null) {
                statements.remove(statement.id);
                lastPrepared = lastPrepared != null && lastPrepared == statement.id ? null : lastPrepared;
            }
        } else if (command == CommandType.COM_RESET_CONNECTION) {
            clear();
        }
    }

    /** A packet of the backend's response to the current command. */
    void onResponse(PacketRole role, ByteBuf payload) {
        if (role != PacketRole.PREPARE_OK) {
            return;
        }
        ComStmtPrepareOkPacket ok = ComStmtPrepareOkPacket.read(new MySQLPayload(payload.duplicate()));
        statements.put(
                ok.statementId(), new Statement(ok.statementId(), preparingSql, preparingVerdict, ok.numParams()));
        lastPrepared = ok.statementId();
    }

    /** The statement the backend knows by this id, or null. */
    Statement find(int statementId) {
        return statements.get(statementId == LAST_PREPARED && lastPrepared != null ? lastPrepared : statementId);
    }

    void clear() {
        statements.clear();
        lastPrepared = null;
        deciding = null;
    }
}
