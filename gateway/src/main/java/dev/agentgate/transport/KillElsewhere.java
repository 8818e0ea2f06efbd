package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.KillRequest;
import dev.agentgate.session.KillsElsewhere;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry.KillDecision;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KILL the policy allowed of a session no session of this gateway has: passed on to the gateway of the fleet that
 * holds it ({@link KillsElsewhere}), without blocking the event loop. Once that gateway carried it out, the command
 * goes on to the backend as the statement that does nothing the {@link CommandFilter} put in its place, whose OK the
 * client gets; a refusal is the client's answer instead. Confined to the session's event loop.
 */
final class KillElsewhere {

    private static final Logger log = LoggerFactory.getLogger(KillElsewhere.class);

    private final KillsElsewhere fleet;
    private final ClientConnection connection;
    private final Supplier<SessionInfo> caller;
    private final PolicyCheckpoint.Outcome relay;

    /** @param caller the session as KILL is authorised for it now (its identity changes with COM_CHANGE_USER) */
    KillElsewhere(
            KillsElsewhere fleet,
            ClientConnection connection,
            Supplier<SessionInfo> caller,
            PolicyCheckpoint.Outcome relay) {
        this.fleet = fleet;
        this.connection = connection;
        this.caller = caller;
        this.relay = relay;
    }

    /** Passes {@code command}'s KILL on; {@code frame} goes to the relay once it was carried out, else is released. */
    void pass(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed, CommandInFlight command) {
        KillRequest request = command.killElsewhere;
        command.killElsewhere = null;
        fleet.kill(caller.get(), request)
                .whenComplete((decision, failed) -> connection
                        .client()
                        .eventLoop()
                        .execute(() -> answered(decision, frame, tracker, proceed, command)));
    }

    private void answered(
            KillDecision decision,
            MySQLFrame frame,
            CommandResponseTracker tracker,
            GateResult.Proceed proceed,
            CommandInFlight command) {
        connection.enterLogContext();
        if (connection.isClosed()) {
            frame.release();
            return;
        }
        if (decision instanceof KillDecision.KilledElsewhere killed) {
            log.info("KILL carried out by gateway {}, which holds that session", killed.gatewayInstance());
            relay.forward(frame, tracker, proceed);
            return;
        }
        ErrPacket error = decision instanceof KillDecision.Refused refused
                ? new ErrPacket(refused.errorCode(), "HY000", refused.message())
                : Errors.of(MySQLErrorCode.ER_UNKNOWN_ERROR, "KILL was not carried out: no answer from the fleet");
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        frame.release();
        command.refused(error);
        relay.refused(error, responseSequenceId);
    }
}
