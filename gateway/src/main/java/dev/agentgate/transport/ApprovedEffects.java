package dev.agentgate.transport;

import dev.agentgate.enforcement.ApprovedRows;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.PacketRole;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's approved statements whose effect is checked ({@link ApprovedEffectCheck}): while one runs, the
 * backend's frames are its, and what the client hears, the policy's view of the session and the command's record
 * follow from how it ended. Confined to the session's event loop.
 */
final class ApprovedEffects {

    private static final Logger log = LoggerFactory.getLogger(ApprovedEffects.class);

    private final ClientConnection connection;
    private final long capabilities;
    private final PolicyCheckpoint policy;
    private final ResponseRelay responses;
    private final MaskingSession masking;
    private ApprovedEffectCheck checking;
    /** Whether the check ending now answered the client (else the relay has the statement's response). */
    private boolean answered;

    ApprovedEffects(
            ClientConnection connection,
            long capabilities,
            PolicyCheckpoint policy,
            ResponseRelay responses,
            MaskingSession masking) {
        this.connection = connection;
        this.masking = masking;
        this.capabilities = capabilities;
        this.policy = policy;
        this.responses = responses;
    }

    boolean isChecking() {
        return checking != null;
    }

    /** Runs {@code statement} under the check; the client's answer goes out with {@code responseSequenceId}. */
    void start(
            MySQLFrame statement,
            CommandResponseTracker tracker,
            CommandInFlight command,
            ApprovedRows approved,
            int responseSequenceId) {
        answered = false;
        checking = new ApprovedEffectCheck(
                connection.backend(), capabilities, statement, tracker, approved, new ApprovedEffectCheck.Listener() {
                    @Override
                    public void statementAnswered(PacketRole role, ByteBuf payload) {
                        command.responseEnded(role, payload, capabilities);
                    }

                    @Override
                    public void answered(MySQLPacket answer, boolean succeeded) {
                        answered = true;
                        if (answer instanceof ErrPacket error) {
                            log.info("approved statement refused by its effect check: {}", error.message());
                            command.ended(error);
                        }
                        masking.end(succeeded);
                        if (succeeded) {
                            policy.succeeded();
                        } else {
                            policy.failed();
                        }
                        connection.send(answer, responseSequenceId);
                    }

                    @Override
                    public void lost(ErrPacket error) {
                        answered = true;
                        log.warn("closing session: {}", error.message());
                        command.ended(error);
                        masking.end(false);
                        policy.failed();
                        connection.failAndClose(error, responseSequenceId);
                    }

                    @Override
                    public void unchecked() {
                        log.info(
                                "approved statement of request {} runs inside the client's transaction: its effect"
                                        + " is not checked",
                                approved.requestId());
                        responses.expect(tracker, command);
                    }
                });
        checking.start();
    }

    /** @return whether the command is done with this frame (else it goes on, perhaps on the relay) */
    boolean onBackendFrame(MySQLFrame frame) {
        checking.onBackendFrame(frame);
        if (!checking.isDone()) {
            return false;
        }
        checking = null;
        return answered;
    }

    /** The session closed: a statement not sent yet never is. */
    void closed() {
        if (checking != null) {
            checking.abandon();
            checking = null;
        }
    }
}
