package dev.agentgate.transport;

import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import java.util.List;

/**
 * Takes up one client command at a time: what the {@link CommandFilter} made of it becomes the {@link
 * CommandInFlight} the session's events name, with the text and bound values a recording needs (decoded only when
 * a sink takes the events). Confined to the session's event loop.
 */
final class CommandIntake {

    private final SessionEventEmitter events;
    private final PreparedStatements prepared;

    CommandIntake(SessionEventEmitter events, PreparedStatements prepared) {
        this.events = events;
        this.prepared = prepared;
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
    CommandInFlight takeUp(CommandType type, CommandFilter.Verdict verdict, MySQLFrame frame) {
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
