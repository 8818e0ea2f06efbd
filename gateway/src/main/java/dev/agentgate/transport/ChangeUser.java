package dev.agentgate.transport;

import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.identity.Identity;
import dev.agentgate.identity.TokenRejectedException;
import dev.agentgate.protocol.ComChangeUserPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.transport.TokenAuthExchange.Step;
import io.netty.buffer.ByteBufUtil;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One COM_CHANGE_USER, as connection pools send it to hand a connection to another identity: the new token is
 * obtained with the same plugin dialogue as at login and validated with the same validator; the backend session
 * is reset (COM_RESET_CONNECTION, as the service account: variables, temporary tables and prepared statements of
 * the previous identity are gone) and its session tracking set up again ({@link BackendReset}); then the session
 * continues under the new identity, and every later command is decided for it. A bad token, another target, a
 * failed reset or tracking that cannot be set up again ends the session (1045, or the backend's error).
 * Runs on the session's event loop.
 */
final class ChangeUser {

    private static final Logger log = LoggerFactory.getLogger(ChangeUser.class);

    private enum State {
        AWAIT_CLIENT,
        VALIDATING,
        DECIDING_SESSION,
        RESETTING_BACKEND,
        DONE
    }

    private final GatewayContext gateway;
    private final ClientConnection connection;
    private final String target;
    private final String database;
    private final SessionFacts facts;
    private final Changed onChanged;
    private TokenAuthExchange exchange;
    private State state = State.AWAIT_CLIENT;
    private int sequenceId;
    private Identity identity;
    private LoginDecision decision = LoginDecision.UNDECIDED;
    private long capabilities;
    private BackendReset reset;

    /** What the session does once its backend was reset for the new identity. */
    interface Changed {
        /**
         * @param decision the session decision that admitted the new identity
         * @param trackedVariables the variables the server reported when its tracking was set up again
         */
        void changed(Identity identity, LoginDecision decision, Map<String, String> trackedVariables);
    }

    /**
     * @param database the session's current database: the reset keeps it, so the packet may only name that one
     * @param facts the session, as the session decision for the new identity is asked about it
     * @param onChanged called once the backend is reset, before the client hears of it
     */
    ChangeUser(
            GatewayContext gateway,
            ClientConnection connection,
            String target,
            String database,
            SessionFacts facts,
            Changed onChanged) {
        this.facts = facts;
        this.gateway = gateway;
        this.connection = connection;
        this.target = target;
        this.database = database;
        this.onChanged = onChanged;
    }

    void start(MySQLFrame frame, long capabilities, boolean secure) {
        this.capabilities = capabilities;
        sequenceId = frame.sequenceId() + frame.chunkCount() - 1;
        ComChangeUserPacket packet =
                ComChangeUserPacket.read(new MySQLPayload(frame.payload().duplicate()), capabilities);
        if (!packet.username().equals(target)) {
            refuse("COM_CHANGE_USER to target '" + packet.username() + "' from a session on '" + target
                    + "': open a new connection for another target");
            return;
        }
        if (!packet.schema().isEmpty() && !packet.schema().equals(database)) {
            fail(Errors.of(
                    MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                    "COM_CHANGE_USER keeps the current database through agentgate: change it with USE afterwards"));
            return;
        }
        exchange = new TokenAuthExchange(
                gateway.config().auth().switchPlugin(),
                secure,
                gateway.config().devMode() && gateway.config().tls().allowInsecureTokenLogin(),
                gateway::newSeed,
                TokenAuthExchange.needsClearPassword(
                        packet.connectAttributes(), gateway.greeting().serverVersion()));
        String plugin =
                packet.authPluginName() == null || packet.authPluginName().isEmpty()
                        ? "mysql_native_password"
                        : packet.authPluginName();
        onStep(exchange.start(plugin, packet.authResponse()));
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /** An auth packet of the client during the plugin dialogue. */
    void onClientFrame(MySQLFrame frame) {
        byte[] data = ByteBufUtil.getBytes(frame.payload());
        sequenceId = frame.sequenceId() + frame.chunkCount() - 1;
        frame.release();
        if (state != State.AWAIT_CLIENT) {
            fail(Errors.outOfOrder("a packet arrived during COM_CHANGE_USER before the gateway asked for one"));
            return;
        }
        onStep(exchange.onClientData(data));
    }

    /** The backend's answer to the reset or to the tracking set up after it. */
    void onBackendFrame(MySQLFrame frame) {
        if (state != State.RESETTING_BACKEND) {
            frame.release();
            fail(Errors.malformed("unexpected packet of the target during COM_CHANGE_USER"));
            return;
        }
        reset.onBackendFrame(frame);
    }

    private final class ResetDone implements BackendReset.Listener {
        @Override
        public void reset(Map<String, String> trackedVariables, int statusFlags) {
            state = State.DONE;
            onChanged.changed(identity, decision, trackedVariables);
            log.info(
                    "identity changed: issuer={} subject={} target={} expires={}",
                    identity.issuer(),
                    identity.subject(),
                    target,
                    identity.expiresAt());
            connection.send(OkPacket.of(0, 0, 0x0002, 0), sequenceId + 1);
        }

        @Override
        public void failed(ErrPacket error) {
            fail(error);
        }

        @Override
        public void untracked(String reason, int statusFlags) {
            fail(Errors.of(MySQLErrorCode.ER_UNKNOWN_ERROR, reason));
        }
    }

    private void onStep(Step step) {
        if (step instanceof Step.Send send) {
            connection.writer().sendNow(send.packet(), ++sequenceId); // the client answers it
        } else if (step instanceof Step.Failed failed) {
            refuse(failed.reason());
        } else if (step instanceof Step.TokenReceived received) {
            state = State.VALIDATING;
            gateway.tokenValidator()
                    .validate(received.token())
                    .whenComplete((validated, error) ->
                            connection.client().eventLoop().execute(() -> onValidated(validated, error)));
        }
    }

    private void onValidated(Identity validated, Throwable error) {
        connection.enterLogContext();
        if (connection.isClosed()) {
            return;
        }
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            refuse(
                    cause instanceof TokenRejectedException rejected
                            ? rejected.getMessage()
                            : "token could not be validated");
            return;
        }
        identity = Objects.requireNonNull(validated, "identity");
        if (gateway.admission() == null) {
            resetBackend();
            return;
        }
        // The new identity gets the session decision the first one got at login: a policy that refuses it a
        // session must not see it take over one.
        state = State.DECIDING_SESSION;
        gateway.admission()
                .admit(identity, facts)
                .whenComplete(
                        (verdict, failure) -> connection.client().eventLoop().execute(() -> onSessionDecided(verdict)));
    }

    private void onSessionDecided(SessionAdmission.Verdict verdict) {
        connection.enterLogContext();
        if (connection.isClosed() || state != State.DECIDING_SESSION) {
            return;
        }
        if (verdict instanceof SessionAdmission.Refused refused) {
            refuse(refused.clientMessage());
        } else if (verdict instanceof SessionAdmission.Admitted admitted) {
            decision = admitted.recorded();
            // The other limits of the login stay; a grant that let the new identity in bounds the session too.
            admitted.approval()
                    .ifPresent(grant -> gateway.registry()
                            .control(connection.connectionId())
                            .ifPresent(control -> control.limitTo(
                                    grant.endsAt(), SessionEvent.EndReason.GRANT_ENDED, grant.endedMessage())));
            resetBackend();
        } else {
            refuse("the session decision failed");
        }
    }

    private void resetBackend() {
        state = State.RESETTING_BACKEND;
        reset = new BackendReset(connection.backend(), capabilities, new ResetDone());
        reset.start();
    }

    private void refuse(String reason) {
        log.warn("COM_CHANGE_USER refused: {}", reason);
        fail(Errors.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for COM_CHANGE_USER: " + reason));
    }

    private void fail(ErrPacket error) {
        state = State.DONE;
        connection.failAndClose(error, sequenceId + 1);
    }
}
