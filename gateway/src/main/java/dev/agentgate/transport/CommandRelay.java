package dev.agentgate.transport;

import dev.agentgate.analysis.SessionTracking;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacketTooLargeException;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.session.SessionInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase of one session: takes the client's commands one at a time and in order (holding pipelined
 * ones back in {@link PendingCommands}), puts each through the {@link CommandFilter} and the {@link
 * PolicyCheckpoint}, forwards what they let through to the backend, and starts the next command once the {@link
 * ResponseRelay} has relayed the response; its {@link SessionClosing} is the session's {@link SessionControl}.
 *
 * <p>Both channels share one event loop, so all state here (and in the parts it owns) is confined to it.
 */
final class CommandRelay implements PolicyCheckpoint.Outcome {

    private static final Logger log = LoggerFactory.getLogger(CommandRelay.class);

    private final GatewayContext gateway;
    private final ClientConnection connection;
    private final Instant tokenExpiresAt;
    private SessionInfo info;
    private final long capabilities;
    private final boolean secure;
    private ChangeUser changingUser;
    private BackendReset resetting;
    private final CommandFilter filter;
    private final PendingCommands pending = new PendingCommands();
    private final PreparedStatements prepared = new PreparedStatements();
    private final MaskingSession masking;
    private final PolicyCheckpoint policy;
    private final ResponseRelay responses;
    private final SessionClosing closing;
    private final RunningStatementCancel cancel;
    private final ObligationEnforcement obligations;
    /** The backend thread of a statement still running at the end was killed (once is enough). */
    private boolean backendThreadEnded;

    CommandRelay(
            GatewayContext gateway,
            ClientConnection connection,
            SessionInfo info,
            long capabilities,
            Identity identity,
            SessionFacts facts) {
        this(gateway, connection, info, capabilities, identity, facts, false);
    }

    /** @param clientTracksState whether the client asked for CLIENT_SESSION_TRACK (else state changes are stripped) */
    CommandRelay(
            GatewayContext gateway,
            ClientConnection connection,
            SessionInfo info,
            long capabilities,
            Identity identity,
            SessionFacts facts,
            boolean clientTracksState) {
        this.gateway = gateway;
        this.connection = connection;
        this.tokenExpiresAt = identity.expiresAt();
        this.info = info;
        this.capabilities = capabilities;
        this.secure = facts.tls();
        this.filter = new CommandFilter(gateway.registry(), info, capabilities);
        this.masking = new MaskingSession(
                prepared,
                connection.client().alloc(),
                connection.client()::write,
                ColumnDefinition41Packet.hasExtendedMetadata(capabilities));
        this.policy = new PolicyCheckpoint(gateway.gate(), identity, facts, prepared, connection, this);
        this.cancel = new RunningStatementCancel(
                gateway.canceller(), connection, info.target(), info.backendThreadId(), this::afterResponse);
        ResponseCut cut = new ResponseCut(connection, masking, () -> cancel.cancelQuery("max_rows reached"));
        this.responses = new ResponseRelay(
                connection,
                prepared,
                masking,
                cut,
                new SessionStateRelay(
                        capabilities, clientTracksState, connection.client().alloc(), new SessionStateRelay.Listener() {
                            @Override
                            public void reported(Map<String, String> systemVariables) {
                                policy.sessionStateReported(systemVariables);
                            }

                            @Override
                            public void untracked(String reason) {
                                policy.lexingUntracked(reason);
                            }
                        }));
        this.obligations = new ObligationEnforcement(connection, prepared, cancel, cut, responses::isBusy);
        this.closing = new SessionClosing(connection, this::isRunningOnBackend);
    }

    /** Replaces the connection-phase handler and starts relaying. */
    void install(ChannelPipeline clientPipeline, String handshakeHandlerName) {
        Duration idle = gateway.config().listen().idleTimeout();
        clientPipeline.replace(handshakeHandlerName, "relay", new ClientCommandHandler(this));
        clientPipeline.addBefore("relay", "idle", new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
        Channel backend = connection.backend();
        backend.pipeline().addLast("relay", new BackendResponseHandler(this));
        backend.config().setAutoRead(true);
        closing.closeAtTokenExpiry(tokenExpiresAt, obligations::cutRunningStatement);
        connection.beforeRelease(this::endRunningStatement);
    }

    void onClientFrame(MySQLFrame frame) {
        connection.enterLogContext();
        if (changingUser != null) {
            changingUser.onClientFrame(frame);
            afterChangeUser();
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
        CommandFilter.Verdict verdict;
        PreparedStatements.Execution execution = null;
        try {
            verdict = filter.inspect(frame, policy.database(), policy.lexing());
            if (verdict instanceof CommandFilter.Verdict.Forward forward) {
                execution = prepared.inspect(forward.frame().payload());
            }
        } catch (RuntimeException malformed) {
            frame.release();
            log.warn("malformed command packet: {}", malformed.getMessage());
            connection.failAndClose(Errors.malformed(malformed.getMessage()), 1);
            return;
        }
        if (verdict instanceof CommandFilter.Verdict.Forward forward) {
            policy.check(forward, execution);
            return;
        }
        if (verdict instanceof CommandFilter.Verdict.ChangeUser change) {
            changeUser(change.frame());
            return;
        }
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        frame.release();
        if (verdict instanceof CommandFilter.Verdict.Answer answer) {
            connection.send(answer.error(), responseSequenceId);
        } else if (verdict instanceof CommandFilter.Verdict.Refuse refuse) {
            connection.failAndClose(refuse.error(), responseSequenceId);
        } else {
            connection.close();
        }
    }

    @Override
    public void forward(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
        if (closing.isClosing()) {
            // A verdict for a session asked to close: nothing more runs.
            frame.release();
            afterResponse();
            return;
        }
        ErrPacket unenforceable = obligations.begin(frame, tracker.command(), proceed);
        if (unenforceable != null) {
            int responseSequenceId = frame.sequenceId() + frame.chunkCount();
            frame.release();
            refused(unenforceable, responseSequenceId);
            return;
        }
        if (tracker.command() == CommandType.COM_RESET_CONNECTION) {
            int responseSequenceId = frame.sequenceId() + frame.chunkCount();
            frame.release();
            resetBackend(responseSequenceId);
            return;
        }
        MySQLFrame sent = keepingTracked(frame, tracker, proceed);
        masking.begin(sent.payload(), tracker.command(), proceed);
        prepared.forwarded(sent.payload());
        connection.backend().writeAndFlush(obligations.toSend(sent, tracker.command(), proceed));
        if (tracker.isComplete()) {
            afterResponse();
        } else {
            responses.expect(tracker);
            obligations.responseExpected();
        }
    }

    /** A SET of the tracking list on its own, with the assignment that keeps the gateway's variables tracked appended. */
    private static MySQLFrame keepingTracked(
            MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
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

    /**
     * The client's COM_RESET_CONNECTION, as pools send it between borrowers: the backend is reset and its session
     * tracking set up again before the client hears the OK, so the next command is read in the reset session's mode.
     */
    private void resetBackend(int responseSequenceId) {
        resetting = new BackendReset(connection.backend(), capabilities, new BackendReset.Listener() {
            @Override
            public void reset(Map<String, String> trackedVariables, int statusFlags) {
                prepared.clear();
                policy.lexingRestored(trackedVariables);
                policy.succeeded();
                connection.send(clientOk(statusFlags), responseSequenceId);
            }

            @Override
            public void failed(ErrPacket error) {
                policy.failed();
                connection.send(error, responseSequenceId);
            }

            @Override
            public void untracked(String reason, int statusFlags) {
                prepared.clear();
                policy.succeeded();
                policy.lexingUntracked(reason);
                connection.send(clientOk(statusFlags), responseSequenceId);
            }
        });
        resetting.start();
    }

    /** The OK of a reset the gateway answers itself: the server's status, without state changes the client did not ask for. */
    private static OkPacket clientOk(int statusFlags) {
        return OkPacket.of(0, 0, statusFlags & ~ServerStatusFlags.SERVER_SESSION_STATE_CHANGED, 0);
    }

    private void afterReset() {
        if (resetting != null && resetting.isDone()) {
            resetting = null;
            connection.client().flush();
            afterResponse();
        }
    }

    @Override
    public void refused(ErrPacket error, int responseSequenceId) {
        connection.send(error, responseSequenceId);
        afterResponse();
    }

    private void changeUser(MySQLFrame frame) {
        changingUser = new ChangeUser(gateway, connection, info.target(), policy.database(), this::identityChanged);
        try {
            changingUser.start(frame, capabilities, secure);
        } finally {
            frame.release();
        }
        afterChangeUser();
    }

    /**
     * The backend was reset for the new identity and tracked again: its prepared statements are gone, its SQL is read
     * in the mode the server reported, and the registry learns who it is.
     */
    private void identityChanged(Identity identity, Map<String, String> trackedVariables) {
        prepared.clear();
        policy.lexingRestored(trackedVariables);
        policy.changeIdentity(identity);
        info = new SessionInfo(
                info.connectionId(),
                info.sessionId(),
                identity.issuer(),
                identity.subject(),
                info.target(),
                info.backendThreadId(),
                info.clientAddress(),
                info.startedAt());
        filter.sessionChanged(info);
        gateway.registry().register(info, closing);
        closing.closeAtTokenExpiry(identity.expiresAt(), obligations::cutRunningStatement);
    }

    private void afterChangeUser() {
        if (changingUser != null && changingUser.isDone()) {
            changingUser = null;
            afterResponse();
        }
    }

    void onBackendFrame(MySQLFrame frame) {
        if (resetting != null) {
            resetting.onBackendFrame(frame);
            afterReset();
            return;
        }
        if (changingUser != null) {
            changingUser.onBackendFrame(frame);
            afterChangeUser();
            return;
        }
        if (!responses.relay(frame)) {
            return;
        }
        obligations.responseDone();
        if (responses.succeeded()) {
            policy.succeeded();
        } else {
            policy.failed();
        }
        connection.client().flush();
        connection.enterLogContext();
        afterResponse();
    }

    void onBackendReadComplete() {
        responses.onReadComplete();
    }

    void onClientWritabilityChanged() {
        responses.onClientWritabilityChanged();
    }

    private void afterResponse() {
        if (isRunningOnBackend() || resetting != null || connection.isClosed()) {
            // The next command waits until the KILL QUERY for this one was answered too.
            return;
        }
        if (closing.closeIfAsked()) {
            return;
        }
        while (!responses.isBusy() && !policy.isDeciding() && !pending.isEmpty() && !connection.isClosed()) {
            dispatch(pending.poll());
        }
        if (!isBusy() && !connection.client().config().isAutoRead()) {
            connection.client().config().setAutoRead(true);
        }
    }

    void onIdle() {
        closing.onIdle();
    }

    /** A client packet could not even be framed: say why (as MySQL does) and end the session. */
    void onClientFailure(Throwable cause) {
        connection.enterLogContext();
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof MySQLPacketTooLargeException) {
            log.warn("client sent a packet over listen.max_packet_size: {}", root.getMessage());
            connection.failAndClose(
                    Errors.of(
                            MySQLErrorCode.ER_NET_PACKET_TOO_LARGE,
                            "Got a packet bigger than 'max_allowed_packet' bytes"),
                    1);
        } else {
            log.warn("client connection failed: {}", ClientHandshakeHandler.rootMessage(cause));
            connection.close();
        }
    }

    void onClosed() {
        closing.closed();
        obligations.responseDone();
        policy.abandon();
        endRunningStatement();
        prepared.clear();
        masking.close();
        pending.releaseAll();
    }

    /**
     * A statement still running when the session ends must not run on: its backend thread is killed, once. Called
     * when the session closes, before its place is given back, so that a shutdown waiting for the places also
     * waits for the KILL; and when the client's channel is gone, for a close that did not come through there.
     */
    private void endRunningStatement() {
        if (responses.isBusy() && !backendThreadEnded) {
            backendThreadEnded = true;
            cancel.killConnection("the session ended");
        }
    }

    /** The session's handle for the registry. */
    SessionControl control() {
        return closing;
    }

    /** Whether a command is running: being decided, its response on its way, or waiting behind one. */
    boolean isBusy() {
        return isRunningOnBackend()
                || policy.isDeciding()
                || !pending.isEmpty()
                || changingUser != null
                || resetting != null;
    }

    /** Whether a statement of the session may still run on the backend: its response is on its way, or a KILL QUERY. */
    private boolean isRunningOnBackend() {
        return responses.isBusy() || cancel.isPending();
    }
}
