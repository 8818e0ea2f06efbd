package dev.agentgate.transport;

import dev.agentgate.analysis.SessionTracking;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;

/**
 * Keeps the server reporting the variables the gateway reads SQL by ({@link SessionTracking}): a client's SET of the
 * tracking list gets the gateway's variables appended.
 */
final class TrackingListRewrite {

    private TrackingListRewrite() {}

    /**
     * A SET of the tracking list on its own, with the assignment that keeps the gateway's variables tracked appended;
     * any other command as it is.
     */
    static MySQLFrame keepingTracked(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
        if (tracker.command() != CommandType.COM_QUERY
                || proceed == null
                || proceed.statements().size() != 1
                || !SessionTracking.setsTrackingList(proceed.statements().get(0))) {
            return frame;
        }
        // the statement as analysed, when that is the text as sent (no spelling changed for the session's mode): what
        // followed it in the packet (a semicolon, comments) does nothing. Else the server reports a list without the
        // gateway's variables and the session's later statements are refused.
        String sql = ComQueryPacket.read(new MySQLPayload(frame.payload().duplicate()))
                .sql();
        String statement = proceed.statements().get(0).sql();
        if (!sql.strip().startsWith(statement)) {
            return frame;
        }
        MySQLFrame rewritten = MySQLFrame.fromPacket(
                new ComQueryPacket(SessionTracking.keepingTracked(statement)),
                frame.sequenceId(),
                frame.payload().alloc());
        frame.release();
        return rewritten;
    }
}
