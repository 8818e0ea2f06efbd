package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionEvent.EndReason;

/**
 * Sends a command the policy let through to the backend, with the policy's obligations in force and every part that
 * follows the backend's state told first: the masking of its response, the prepared statements, the session's
 * tracking of how the server reads SQL, and the session a {@code KILL CONNECTION} ends. Confined to the session's
 * event loop.
 */
final class CommandForwarding {

    private final CommandPhase parts;
    private final ClientConnection connection;

    CommandForwarding(CommandPhase parts, ClientConnection connection) {
        this.parts = parts;
        this.connection = connection;
    }

    /**
     * @param proceed the policy's verdict, null for a command it does not decide
     * @return null once the command is on its way, or the error it is refused with (an obligation that cannot be
     *     enforced: it must not run; its frame is released)
     */
    ErrPacket send(
            MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed, CommandInFlight command) {
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        ErrPacket unenforceable = parts.obligations.begin(frame, tracker.command(), proceed);
        if (unenforceable != null) {
            frame.release();
            return unenforceable;
        }
        if (tracker.command() == CommandType.COM_RESET_CONNECTION) {
            // the server resets the session's variables, the tracking list among them, to the global defaults: the
            // gateway resets the backend itself and tracks it again before the client hears the OK
            frame.release();
            parts.resets.start(responseSequenceId);
            return null;
        }
        if (command.killing != null) {
            parts.gateway
                    .registry()
                    .control(command.killing.connectionId())
                    .ifPresent(victim -> victim.backendEndsBecause(
                            EndReason.KILLED, "KILL CONNECTION from session " + connection.sessionId()));
        }
        MySQLFrame sent = TrackingListRewrite.keepingTracked(frame, tracker, proceed);
        parts.masking.begin(sent.payload(), tracker.command(), proceed);
        parts.prepared.forwarded(sent.payload());
        MySQLFrame toSend = parts.obligations.toSend(sent, tracker.command(), proceed);
        if (proceed != null && proceed.approvedRows() != null) {
            // the statement approvers were shown a row count for: it must change no more rows than that
            parts.effects.start(toSend, tracker, command, proceed.approvedRows(), responseSequenceId);
            parts.obligations.responseExpected();
            return null;
        }
        connection.backend().writeAndFlush(toSend);
        if (!tracker.isComplete()) {
            parts.responses.expect(tracker, command);
            parts.obligations.responseExpected();
        }
        return null;
    }
}
