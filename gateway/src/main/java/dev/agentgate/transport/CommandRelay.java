package dev.agentgate.transport;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
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

    private final CommandPhase parts;
    private final CommandForwarding forwarding;
    private final ClientConnection connection;
    private final PendingCommands pending = new PendingCommands();
    private final SessionEventEmitter events;
    private final CommandIntake intake;
    private KillElsewhere killElsewhere;
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
        this.events = new SessionEventEmitter(
                gateway.events(),
                info.sessionId(),
                gateway.gate() == null ? () -> null : gateway.gate()::policyRevision);
        if (events.keepsDurably()) {
            boolean refuse = gateway.config().recording().onFailure() == RecordingConfig.OnFailure.REFUSE;
            events.holdEndsIn(new HeldResponseEnd(connection, gateway.events(), refuse, this::afterResponse));
        }
        this.parts = new CommandPhase(
                gateway, connection, info, capabilities, identity, facts, clientTracksState, events, this);
        this.forwarding = new CommandForwarding(parts, connection);
        this.intake = new CommandIntake(parts, connection, events, this::afterResponse);
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
        ClientWriteBatcher batcher = new ClientWriteBatcher();
        clientPipeline.addBefore("relay", "batch", batcher);
        Channel backend = connection.backend();
        backend.pipeline().addLast("relay", new BackendResponseHandler(this));
        backend.config().setAutoRead(true);
        connection.writer().tapTo(events);
        connection.writer().batchThrough(batcher);
        events.started(
                parts.identity,
                parts.facts,
                tls == null ? null : tls.engine().getSession().getProtocol(),
                admitted.recorded());
        parts.closing.closeAtTokenExpiry(parts.identity.expiresAt());
        admitted.maxSession()
                .ifPresent(longest -> parts.closing.limitTo(
                        connection.startedAt().plus(longest),
                        EndReason.MAX_DURATION,
                        SessionAdmission.maxDurationMessage(longest)));
        admitted.approval()
                .ifPresent(grant -> parts.closing.limitTo(grant.endsAt(), EndReason.GRANT_ENDED, grant.endedMessage()));
        connection.beforeRelease(parts::endRunningStatement);
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
        intake.dispatch(frame);
    }

    @Override
    public void decided(GateResult verdict) {
        events.decided(events.current(), verdict);
    }

    @Override
    public void forward(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
        CommandInFlight current = events.current();
        if (parts.closing.isClosing()) {
            // A verdict for a session asked to close: nothing more runs.
            frame.release();
            current.refused(null);
            completeAndGoOn();
            return;
        }
        if (current.killElsewhere != null) {
            killElsewhere().pass(frame, tracker, proceed, current);
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

    /** Made for the first KILL of a session another gateway holds (the filter asks for one only in a fleet). */
    private KillElsewhere killElsewhere() {
        if (killElsewhere == null) {
            killElsewhere = new KillElsewhere(
                    parts.gateway.registry().killsElsewhere().orElseThrow(), connection, parts.filter::session, this);
        }
        return killElsewhere;
    }

    @Override
    public void refused(ErrPacket error, int responseSequenceId) {
        CommandInFlight current = events.current();
        if (current != null && current.outcome() == CommandInFlight.Outcome.OK) {
            current.refused(error);
        }
        connection.send(error, responseSequenceId);
        completeAndGoOn();
    }

    void onBackendFrame(MySQLFrame frame) {
        if (parts.resets.isResetting()) {
            if (parts.resets.onBackendFrame(frame)) {
                completeAndGoOn();
            }
            return;
        }
        if (parts.users.isChanging()) {
            if (parts.users.onBackendFrame(frame)) {
                completeAndGoOn();
            }
            return;
        }
        if (parts.effects.isChecking()) {
            if (parts.effects.onBackendFrame(frame)) {
                parts.obligations.responseDone();
                connection.client().flush();
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

    /**
     * Rows the backend's decoder handed on as one run: passed on as such where the response relay can take them so,
     * else frame by frame as if the decoder had handed on each ({@link #onBackendFrame}).
     */
    void onBackendRun(MySQLFrameRun run) {
        boolean elsewhere = parts.resets.isResetting() || parts.users.isChanging() || parts.effects.isChecking();
        if (elsewhere || !parts.responses.relay(run)) {
            run.forEachFrame(this::onBackendFrame);
        }
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
        CommandInFlight current = events.current();
        if (current != null) {
            events.completed(current);
        }
    }

    /** Called once a KILL QUERY was answered, too: the next command may have waited for it. */
    void afterResponse() {
        if (isRunningOnBackend()
                || parts.resets.isResetting()
                || connection.isClosed()
                || connection.writer().isHoldingEnd()) {
            // The next command waits until the KILL QUERY for this one (or the backend's reset) was answered too,
            // and until the end of this one's response went out (once its record is durable).
            return;
        }
        if (parts.closing.closeIfAsked()) {
            return;
        }
        while (!parts.responses.isBusy()
                && !parts.policy.isDeciding()
                && events.current() == null
                && !connection.writer().isHoldingEnd()
                && !pending.isEmpty()
                && !connection.isClosed()) {
            intake.dispatch(pending.poll());
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
        parts.closing.ending().endsBecause(EndReason.PROTOCOL_ERROR, why);
    }

    void onClosed() {
        parts.closed(connection);
        pending.releaseAll();
        connection.writer().discardHeld();
        events.ended(parts.closing.ending().reason(), parts.closing.ending().detail());
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
                || parts.resets.isResetting()
                || events.current() != null
                || connection.writer().isHoldingEnd();
    }

    /** Whether a statement of the session may still run on the backend: its response is on its way, or a KILL QUERY. */
    boolean isRunningOnBackend() {
        return parts.responses.isBusy() || parts.effects.isChecking() || parts.cancel.isPending();
    }
}
