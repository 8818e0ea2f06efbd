package dev.agentgate.transport;

import dev.agentgate.analysis.GatewayStatements;
import dev.agentgate.analysis.LexingMode;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.ComFieldListPacket;
import dev.agentgate.protocol.ComInitDbPacket;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.session.KillRequest;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.session.SessionRegistry.KillDecision;
import io.netty.buffer.ByteBuf;
import java.util.EnumSet;
import java.util.Set;

/**
 * Looks at each client command before it reaches the backend and decides what the gateway does
 * with it: forward it (possibly rewritten), answer it itself, or refuse it and close.
 */
final class CommandFilter {

    /** What to do with one client command. */
    sealed interface Verdict {
        /**
         * @param question what the policy must allow first, or null for commands it does not decide
         * @param killing the session a {@code KILL CONNECTION} ends, else null
         * @param elsewhere a KILL of a session another gateway of the fleet may hold, passed on there once the policy
         *     allowed it ({@link KillElsewhere}); else null
         */
        record Forward(
                MySQLFrame frame,
                CommandResponseTracker tracker,
                PolicyQuestion question,
                SessionInfo killing,
                KillRequest elsewhere)
                implements Verdict {
            Forward(MySQLFrame frame, CommandResponseTracker tracker, PolicyQuestion question) {
                this(frame, tracker, question, null, null);
            }
        }

        /** Answer with an error; the session goes on. */
        record Answer(ErrPacket error) implements Verdict {}

        /** Answer with an error and close the connection. */
        record Refuse(ErrPacket error) implements Verdict {}

        record Quit() implements Verdict {}

        /** A COM_CHANGE_USER: the session's identity changes if the new token is good ({@link dev.agentgate.transport.ChangeUser}). */
        record ChangeUser(MySQLFrame frame) implements Verdict {}
    }

    /** Commands relayed as they are. Replication, debugging and daemon commands are never relayed. */
    private static final Set<CommandType> RELAYED = EnumSet.of(
            CommandType.COM_QUERY,
            CommandType.COM_INIT_DB,
            CommandType.COM_FIELD_LIST,
            CommandType.COM_STATISTICS,
            CommandType.COM_PING,
            CommandType.COM_STMT_PREPARE,
            CommandType.COM_STMT_EXECUTE,
            CommandType.COM_STMT_SEND_LONG_DATA,
            CommandType.COM_STMT_CLOSE,
            CommandType.COM_STMT_RESET,
            CommandType.COM_STMT_FETCH,
            CommandType.COM_SET_OPTION,
            CommandType.COM_RESET_CONNECTION);

    /**
     * Relayed commands without SQL that the policy decides by their type alone (docs/policy.md, {@code command.type}).
     * COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA are not asked: the server answers neither, so a refusal could not
     * be told to the client, and both only act on a statement whose PREPARE the policy allowed.
     */
    private static final Set<CommandType> DECIDED_BY_TYPE = EnumSet.of(
            CommandType.COM_STATISTICS,
            CommandType.COM_PING,
            CommandType.COM_STMT_RESET,
            CommandType.COM_STMT_FETCH,
            CommandType.COM_SET_OPTION,
            CommandType.COM_RESET_CONNECTION);

    /** MariaDB's COM_STMT_BULK_EXECUTE, outside the range of {@link CommandType}; offered only with MARIADB_CLIENT_STMT_BULK_OPERATIONS. */
    private static final int COM_STMT_BULK_EXECUTE = 0xFA;

    private static final int CURSOR_TYPE_MASK = 0x07;

    /** What the backend runs for a KILL another gateway carried out. */
    static final String NOTHING = "DO 0";

    private final SessionRegistry registry;
    private SessionInfo session;
    private final long capabilities;

    CommandFilter(SessionRegistry registry, SessionInfo session, long capabilities) {
        this.registry = registry;
        this.session = session;
        this.capabilities = capabilities;
    }

    /** After COM_CHANGE_USER: KILL is authorised for the new identity. */
    void sessionChanged(SessionInfo changed) {
        session = changed;
    }

    /** The session as KILL is authorised for it now. */
    SessionInfo session() {
        return session;
    }

    /**
     * @param database the session's current database, for commands that name a table without one
     */
    Verdict inspect(MySQLFrame frame, String database) {
        return inspect(frame, database, LexingMode.DEFAULT);
    }

    /** @param lexing how the session's server reads SQL now: KILL and LOAD DATA LOCAL are found as it reads them */
    Verdict inspect(MySQLFrame frame, String database, LexingMode lexing) {
        ByteBuf payload = frame.payload();
        if (frame.sequenceId() != 0) {
            return new Verdict.Refuse(
                    Errors.outOfOrder("a command must start with sequence id 0, was " + frame.sequenceId()));
        }
        if (!payload.isReadable()) {
            return new Verdict.Refuse(Errors.malformed("empty command"));
        }
        int code = payload.getUnsignedByte(payload.readerIndex());
        CommandType command = CommandType.fromCode(code).orElse(null);
        if (command == null && code == COM_STMT_BULK_EXECUTE) {
            return new Verdict.Answer(
                    Errors.of(
                            MySQLErrorCode.ER_UNKNOWN_COM_ERROR,
                            "COM_STMT_BULK_EXECUTE (MariaDB array binding) is not supported by agentgate, which does not offer it in its greeting: execute the statement once per row"));
        }
        if (command == null) {
            return new Verdict.Refuse(
                    Errors.of(MySQLErrorCode.ER_UNKNOWN_COM_ERROR, "Unknown command 0x" + Integer.toHexString(code)));
        }
        return switch (command) {
            case COM_QUIT -> new Verdict.Quit();
            case COM_QUERY -> inspectQuery(frame, lexing);
            case COM_STMT_PREPARE -> inspectPrepare(frame, lexing);
            case COM_INIT_DB ->
                forward(
                        frame,
                        command,
                        PolicyQuestion.initDb(ComInitDbPacket.read(new MySQLPayload(payload.duplicate()))
                                .schema()));
            case COM_FIELD_LIST ->
                forward(
                        frame,
                        command,
                        PolicyQuestion.fieldList(
                                database,
                                ComFieldListPacket.read(new MySQLPayload(payload.duplicate()))
                                        .table()));
            case COM_PROCESS_KILL -> {
                long id = Integer.toUnsignedLong(
                        new MySQLPayload(payload.duplicate().skipBytes(1)).readInt4());
                yield kill(new KillRequest(false, id), frame, PolicyQuestion.query("KILL " + id));
            }
            case COM_REFRESH ->
                new Verdict.Answer(
                        Errors.of(
                                MySQLErrorCode.ER_UNKNOWN_COM_ERROR,
                                "COM_REFRESH is not supported by agentgate: send the FLUSH statement instead, which the policy decides"));
            case COM_DEBUG ->
                new Verdict.Answer(
                        Errors.of(
                                MySQLErrorCode.ER_UNKNOWN_COM_ERROR,
                                "COM_DEBUG is not supported by agentgate: it writes the server's internal state to the server's log"));
            case COM_CHANGE_USER -> new Verdict.ChangeUser(frame);
            default ->
                DECIDED_BY_TYPE.contains(command)
                        ? forward(frame, command, PolicyQuestion.command(command.policyName()))
                        : RELAYED.contains(command)
                                ? forward(frame, command, null)
                                : new Verdict.Refuse(Errors.of(
                                        MySQLErrorCode.ER_UNKNOWN_COM_ERROR,
                                        "Unknown command 0x" + Integer.toHexString(code) + " (" + command
                                                + ") is not supported by agentgate"));
        };
    }

    private Verdict inspectQuery(MySQLFrame frame, LexingMode lexing) {
        String sql = ComQueryPacket.read(new MySQLPayload(frame.payload().duplicate()))
                .sql();
        GatewayStatements.Screen screen = GatewayStatements.screen(sql, false, lexing);
        if (screen instanceof GatewayStatements.Screen.Kill kill) {
            return kill(new KillRequest(kill.queryOnly(), kill.connectionId()), frame, PolicyQuestion.query(sql));
        }
        if (screen instanceof GatewayStatements.Screen.Refused refused) {
            return new Verdict.Answer(refusal(refused));
        }
        return forward(frame, CommandType.COM_QUERY, PolicyQuestion.query(sql));
    }

    private Verdict inspectPrepare(MySQLFrame frame, LexingMode lexing) {
        String sql = ComStmtPreparePacket.read(new MySQLPayload(frame.payload().duplicate()))
                .sql();
        if (GatewayStatements.screen(sql, true, lexing) instanceof GatewayStatements.Screen.Refused refused) {
            return new Verdict.Answer(refusal(refused));
        }
        return forward(frame, CommandType.COM_STMT_PREPARE, PolicyQuestion.prepare(sql));
    }

    private static ErrPacket refusal(GatewayStatements.Screen.Refused refused) {
        MySQLErrorCode code = refused.reason() == GatewayStatements.Reason.LOAD_DATA_LOCAL
                ? MySQLErrorCode.ER_NOT_ALLOWED_COMMAND
                : MySQLErrorCode.ER_NOT_SUPPORTED_YET;
        return Errors.of(code, refused.message());
    }

    private Verdict kill(KillRequest request, MySQLFrame frame, PolicyQuestion question) {
        KillDecision decision = registry.authorizeKill(session, request.connectionId());
        if (decision.equals(SessionRegistry.unknownThread(request.connectionId()))
                && registry.killsElsewhere().isPresent()) {
            // Another gateway may hold it. Once that one killed it, the client's answer is its own backend's answer
            // to a statement that does nothing: the OK then carries the session's true status (in a transaction...).
            MySQLFrame nothing = MySQLFrame.fromPacket(
                    new ComQueryPacket(NOTHING), 0, frame.payload().alloc());
            frame.release();
            return new Verdict.Forward(
                    nothing,
                    new CommandResponseTracker(CommandType.COM_QUERY, capabilities, false),
                    question,
                    null,
                    request);
        }
        if (decision instanceof KillDecision.Refused refused) {
            return new Verdict.Answer(new ErrPacket(refused.errorCode(), "HY000", refused.message()));
        }
        SessionInfo victim = ((KillDecision.Permitted) decision).victim();
        MySQLFrame rewritten = MySQLFrame.fromPacket(
                new ComQueryPacket(request.toBackendStatement(victim.backendThreadId())),
                0,
                frame.payload().alloc());
        frame.release();
        return new Verdict.Forward(
                rewritten,
                new CommandResponseTracker(CommandType.COM_QUERY, capabilities, false),
                question,
                request.queryOnly() ? null : victim,
                null);
    }

    private Verdict forward(MySQLFrame frame, CommandType command, PolicyQuestion question) {
        boolean cursor = false;
        if (command == CommandType.COM_STMT_EXECUTE) {
            ByteBuf payload = frame.payload();
            // COM_STMT_EXECUTE: command int<1>, statement_id int<4>, flags int<1> (cursor type).
            cursor = payload.readableBytes() > 5
                    && (payload.getUnsignedByte(payload.readerIndex() + 5) & CURSOR_TYPE_MASK) != 0;
        }
        return new Verdict.Forward(frame, new CommandResponseTracker(command, capabilities, cursor), question);
    }
}
