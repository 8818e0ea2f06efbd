package dev.agentgate.transport;

import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.session.SessionEvent.EndReason;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes up one client command: puts it through the {@link CommandFilter} and makes it the {@link CommandInFlight}
 * the session's events name, with the text and bound values a recording needs (decoded only when a sink takes the
 * events); then hands it to the policy, starts a COM_CHANGE_USER, or answers it in the backend's place. Confined to
 * the session's event loop.
 */
final class CommandIntake {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    private final CommandPhase parts;
    private final ClientConnection connection;
    private final SessionEventEmitter events;
    private final PreparedStatements prepared;
    private final Runnable goOn;

    /** @param goOn takes up the next command, once the one in flight is done */
    CommandIntake(CommandPhase parts, ClientConnection connection, SessionEventEmitter events, Runnable goOn) {
        this.parts = parts;
        this.connection = connection;
        this.events = events;
        this.prepared = parts.prepared;
        this.goOn = goOn;
    }

    /** Takes up {@code frame}, which the caller no longer owns. */
    void dispatch(MySQLFrame frame) {
        CommandType type = typeOf(frame);
        CommandFilter.Verdict verdict;
        PreparedStatements.Execution execution = null;
        try {
            verdict = parts.filter.inspect(frame, parts.policy.database(), parts.policy.lexing());
            if (verdict instanceof CommandFilter.Verdict.Forward forward) {
                execution = prepared.inspect(forward.frame().payload());
            }
        } catch (RuntimeException malformed) {
            frame.release();
            log.warn("malformed command packet: {}", malformed.getMessage());
            parts.closing.ending().endsBecause(EndReason.PROTOCOL_ERROR, malformed.getMessage());
            connection.failAndClose(Errors.malformed(malformed.getMessage()), 1);
            return;
        }
        if (verdict instanceof CommandFilter.Verdict.Quit) {
            frame.release();
            parts.closing.ending().endsBecause(EndReason.CLIENT_QUIT, null);
            connection.close();
            return;
        }
        CommandInFlight command = takeUp(type, verdict, frame);
        if (verdict instanceof CommandFilter.Verdict.Forward forward) {
            command.killing = forward.killing();
            command.killElsewhere = forward.elsewhere();
            parts.policy.check(forward, execution);
        } else if (verdict instanceof CommandFilter.Verdict.ChangeUser change) {
            if (parts.users.start(change.frame())) {
                events.completed(command);
                goOn.run();
            }
        } else {
            answer(command, verdict, frame);
        }
    }

    /** The gateway answers in the backend's place: with an error, and for a {@code Refuse} it ends the session. */
    private void answer(CommandInFlight command, CommandFilter.Verdict verdict, MySQLFrame frame) {
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        frame.release();
        ErrPacket error = verdict instanceof CommandFilter.Verdict.Answer answer
                ? answer.error()
                : ((CommandFilter.Verdict.Refuse) verdict).error();
        command.refused(error);
        if (verdict instanceof CommandFilter.Verdict.Answer) {
            connection.send(error, responseSequenceId);
        } else {
            parts.closing.ending().endsBecause(EndReason.PROTOCOL_ERROR, error.message());
            connection.failAndClose(error, responseSequenceId);
        }
        events.completed(command);
    }

    /** The protocol command a client packet starts with (before the filter may rewrite or release it), else null. */
    static CommandType typeOf(MySQLFrame frame) {
        return frame.payload().isReadable()
                ? CommandType.fromCode(
                                frame.payload().getUnsignedByte(frame.payload().readerIndex()))
                        .orElse(null)
                : null;
    }

    /**
     * @param type what the client sent ({@link #typeOf}), null when it is no known command
     * @param frame what the filter passes on (for a forwarded command), or the client's packet, still unreleased
     */
    private CommandInFlight takeUp(CommandType type, CommandFilter.Verdict verdict, MySQLFrame frame) {
        CommandType named = type == null ? CommandType.COM_SLEEP : type;
        if (!events.isOn()) {
            return events.received(named, null, List.of());
        }
        if (verdict instanceof CommandFilter.Verdict.Forward forward) {
            if (forward.tracker().command() == CommandType.COM_STMT_EXECUTE) {
                return executing(forward.frame());
            }
            return events.received(
                    named,
                    forward.question() == null ? null : forward.question().sql(),
                    List.of());
        }
        return events.received(named, textOf(named, frame), List.of());
    }

    private CommandInFlight executing(MySQLFrame execute) {
        return events.received(
                CommandType.COM_STMT_EXECUTE,
                prepared.sqlOf(execute.payload()),
                prepared.parametersOf(execute.payload()));
    }

    /** The statement text of a query or PREPARE the gateway answers itself; null for other commands. */
    private static String textOf(CommandType type, MySQLFrame frame) {
        try {
            MySQLPayload payload = new MySQLPayload(frame.payload().duplicate());
            return switch (type) {
                case COM_QUERY -> ComQueryPacket.read(payload).sql();
                case COM_STMT_PREPARE -> ComStmtPreparePacket.read(payload).sql();
                default -> null;
            };
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
