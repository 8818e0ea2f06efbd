package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionEvent.EndReason;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.session.SessionInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase of one session: takes the client's commands one at a time and in order (holding pipelined
 * ones back in {@link PendingCommands}), each as one {@link CommandInFlight}; puts each through the {@link
 * CommandFilter} and the {@link PolicyCheckpoint}, forwards what they let through to the backend, and takes up the
 * next command once the {@link ResponseRelay} has relayed the response. What happens goes to the gateway's session
 * events ({@link SessionEventEmitter}); its {@link SessionClosing} is the session's {@link SessionControl}.
 *
 * <p>Both channels share one event loop, so all state here (and in the parts it owns) is confined to it.
 */
final class CommandRelay implements PolicyCheckpoint.Outcome {

    private static final Logger log = LoggerFactory.getLogger(CommandRelay.class);

    private final CommandPhase parts;
    private final CommandForwarding forwarding;
    private final ClientConnection connection;
    private final PendingCommands pending = new PendingCommands();
    private final SessionEventEmitter events;
    private CommandInFlight current;
    /** The backend thread of a statement still running at the end was killed (once is enough). */
    private boolean backendThreadEnded;
    /** What the session decision at login allowed: how long the session may last and stay idle. */
    private SessionAdmission.Admitted admitted = SessionAdmission.UNLIMITED;

    /** @param clientTracksState whether the client asked for CLIENT_SESSION_TRACK (else state changes are stripped) */
    CommandRelay(
            GatewayContext gateway,
            ClientConnection connection,
            SessionInfo info,
            long capabilities,
            Identity identity,
            SessionFacts facts,
            boolean clientTracksState) {
        this.connection = connection;
        this.events = new SessionEventEmitter(gateway.events(), info.sessionId());
        this.parts = new CommandPhase(
                gateway, connection, info, capabilities, identity, facts, clientTracksState, events, this);
        this.forwarding = new CommandForwarding(parts, connection);
    }

    /** The limits of the session decision at login; before {@link #install}. */
    void limitTo(SessionAdmission.Admitted admittedWith) {
        this.admitted = admittedWith;
    }

    /** Replaces the connection-phase handler and starts relaying. */
    void install(ChannelPipeline clientPipeline, String handshakeHandlerName) {
        Duration idle =
                admitted.idleTimeoutWithin(parts.gateway.config().listen().idleTimeout());
        SslHandler tls = clientPipeline.get(SslHandler.class);
        clientPipeline.replace(handshakeHandlerName, "relay", new ClientCommandHandler(this, connection));
        clientPipeline.addBefore("relay", "idle", new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
        Channel backend = connection.backend();
        backend.pipeline().addLast("relay", new BackendResponseHandler(this));
        backend.config().setAutoRead(true);
        connection.writer().tapTo(events);
        events.started(
                parts.identity,
                parts.facts,
                tls == null ? null : tls.engine().getSession().getProtocol());
        parts.closing.closeAtTokenExpiry(parts.identity.expiresAt());
        admitted.maxSession()
                .ifPresent(longest -> parts.closing.limitTo(
                        connection.startedAt().plus(longest),
                        EndReason.MAX_DURATION,
                        SessionAdmission.maxDurationMessage(longest)));
        connection.beforeRelease(this::endRunningStatement);
    }

    void onClientFrame(MySQLFrame frame) {
        connection.enterLogContext();
        if (parts.users.isChanging()) {
            if (parts.users.onClientFrame(frame)) {
                completeAndGoOn();
            }
            return;
        }
        if (isBusy()) {
            pending.add(frame);
            if (pending.isFull()) {
                connection.client().config().setAutoRead(false);
            }
            return;
        }
        dispatch(frame);
    }

    private void dispatch(MySQLFrame frame) {
        CommandType type = CommandIntake.typeOf(frame);
        CommandFilter.Verdict verdict;
        PreparedStatements.Execution execution = null;
        try {
            verdict = parts.filter.inspect(frame, parts.policy.database(), parts.policy.lexing());
            if (verdict instanceof CommandFilter.Verdict.Forward forward) {
                execution = parts.prepared.inspect(forward.frame().payload());
            }
        } catch (RuntimeException malformed) {
            frame.release();
            log.warn("malformed command packet: {}", malformed.getMessage());
            parts.closing.endsBecause(EndReason.PROTOCOL_ERROR, malformed.getMessage());
            connection.failAndClose(Errors.malformed(malformed.getMessage()), 1);
            return;
        }
        if (verdict instanceof CommandFilter.Verdict.Quit) {
            frame.release();
            parts.closing.endsBecause(EndReason.CLIENT_QUIT, null);
            connection.close();
            return;
        }
        current = parts.intake.takeUp(type, verdict, frame);
        connection.writer().responseTo(current);
        if (verdict instanceof CommandFilter.Verdict.Forward forward) {
            current.killing = forward.killing();
            parts.policy.check(forward, execution);
        } else if (verdict instanceof CommandFilter.Verdict.ChangeUser change) {
            if (parts.users.start(change.frame())) {
                completeAndGoOn();
            }
        } else {
            int responseSequenceId = frame.sequenceId() + frame.chunkCount();
            frame.release();
            ErrPacket error = verdict instanceof CommandFilter.Verdict.Answer answer
                    ? answer.error()
                    : ((CommandFilter.Verdict.Refuse) verdict).error();
            current.refused(error);
            if (verdict instanceof CommandFilter.Verdict.Answer) {
                connection.send(error, responseSequenceId);
            } else {
                parts.closing.endsBecause(EndReason.PROTOCOL_ERROR, error.message());
                connection.failAndClose(error, responseSequenceId);
            }
            complete();
        }
    }

    @Override
    public void decided(GateResult verdict) {
        events.decided(current, verdict);
    }

    @Override
    public void forward(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
        if (parts.closing.isClosing()) {
            // A verdict for a session asked to close: nothing more runs.
            frame.release();
            current.refused(null);
            completeAndGoOn();
            return;
        }
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        ErrPacket unenforceable = forwarding.send(frame, tracker, proceed, current);
        if (unenforceable != null) {
            current.refused(unenforceable);
            refused(unenforceable, responseSequenceId);
        } else if (tracker.isComplete()) {
            completeAndGoOn();
        }
    }

    @Override
    public void refused(ErrPacket error, int responseSequenceId) {
        if (current != null && current.outcome() == CommandInFlight.Outcome.OK) {
            current.refused(error);
        }
        connection.send(error, responseSequenceId);
        completeAndGoOn();
    }

    void onBackendFrame(MySQLFrame frame) {
        if (parts.users.isChanging()) {
            if (parts.users.onBackendFrame(frame)) {
                completeAndGoOn();
            }
            return;
        }
        if (!parts.responses.relay(frame)) {
            return;
        }
        parts.obligations.responseDone();
        if (parts.responses.succeeded()) {
            parts.policy.succeeded();
        } else {
            parts.policy.failed();
        }
        connection.client().flush();
        connection.enterLogContext();
        completeAndGoOn();
    }

    void onBackendReadComplete() {
        parts.responses.onReadComplete();
    }

    void onClientWritabilityChanged() {
        parts.responses.onClientWritabilityChanged();
    }

    /** The command in flight is done: its completion is told, and the next one may start. */
    private void completeAndGoOn() {
        complete();
        afterResponse();
    }

    private void complete() {
        if (current != null) {
            events.completed(current);
            connection.writer().responseTo(null);
            current = null;
        }
    }

    /** Called once a KILL QUERY was answered, too: the next command may have waited for it. */
    void afterResponse() {
        if (isRunningOnBackend() || connection.isClosed()) {
            // The next command waits until the KILL QUERY for this one was answered too.
            return;
        }
        if (parts.closing.closeIfAsked()) {
            return;
        }
        while (!parts.responses.isBusy()
                && !parts.policy.isDeciding()
                && current == null
                && !pending.isEmpty()
                && !connection.isClosed()) {
            dispatch(pending.poll());
        }
        if (!isBusy() && !connection.client().config().isAutoRead()) {
            connection.client().config().setAutoRead(true);
        }
    }

    void onIdle() {
        parts.closing.onIdle();
    }

    /** A client packet could not even be framed: the session ends (the handler says why). */
    void onClientFailure(String why) {
        parts.closing.endsBecause(EndReason.PROTOCOL_ERROR, why);
    }

    void onClosed() {
        if (connection.backendClosedFirst()) {
            parts.closing.backendClosed();
        }
        parts.closing.closed();
        parts.obligations.responseDone();
        parts.policy.abandon();
        endRunningStatement();
        parts.prepared.clear();
        parts.masking.close();
        pending.releaseAll();
        events.ended(parts.closing.endReason(), parts.closing.endDetail());
    }

    /**
     * A statement still running when the session ends must not run on: its backend thread is killed, once. Called
     * when the session closes, before its place is given back, so that a shutdown waiting for the places also
     * waits for the KILL; and when the client's channel is gone, for a close that did not come through there.
     */
    private void endRunningStatement() {
        if (parts.responses.isBusy() && !backendThreadEnded) {
            backendThreadEnded = true;
            parts.cancel.killConnection("the session ended");
        }
    }

    /** The session's handle for the registry. */
    SessionControl control() {
        return parts.closing;
    }

    /** Whether a command is running: being decided, its response on its way, or waiting behind one. */
    boolean isBusy() {
        return isRunningOnBackend()
                || parts.policy.isDeciding()
                || !pending.isEmpty()
                || parts.users.isChanging()
                || current != null;
    }

    /** Whether a statement of the session may still run on the backend: its response is on its way, or a KILL QUERY. */
    boolean isRunningOnBackend() {
        return parts.responses.isBusy() || parts.cancel.isPending();
    }
}
