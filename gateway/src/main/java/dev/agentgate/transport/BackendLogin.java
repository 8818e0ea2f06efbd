package dev.agentgate.transport;

import dev.agentgate.analysis.LexingMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.transport.backend.BackendConnectException;
import dev.agentgate.transport.backend.BackendConnectRequest;
import dev.agentgate.transport.backend.BackendConnection;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last step of the connection phase: log the gateway into the target with its own credentials,
 * then tell the client it is in and switch its channel to the command relay.
 */
final class BackendLogin {

    private static final Logger log = LoggerFactory.getLogger(BackendLogin.class);

    private final GatewayContext gateway;
    private final ClientConnection connection;
    private final ChannelHandlerContext ctx;
    private final HandshakeResponse41Packet response;
    private final Identity identity;
    private final TargetConfig target;
    private final boolean secure;

    BackendLogin(
            GatewayContext gateway,
            ClientConnection connection,
            ChannelHandlerContext ctx,
            HandshakeResponse41Packet response,
            Identity identity,
            TargetConfig target,
            boolean secure) {
        this.gateway = gateway;
        this.connection = connection;
        this.ctx = ctx;
        this.response = response;
        this.identity = identity;
        this.target = target;
        this.secure = secure;
    }

    /**
     * Asks the session decision, before the backend is connected: completes on an arbitrary thread, never
     * exceptionally; without a policy (dev mode) every session is admitted without limits.
     */
    CompletableFuture<SessionAdmission.Verdict> admission() {
        if (gateway.admission() == null) {
            return CompletableFuture.completedFuture(SessionAdmission.UNLIMITED);
        }
        // The server's lexing mode is learnt from the backend's login, which has not happened: the session decision
        // carries no statement, so nothing in it depends on it.
        return gateway.admission().admit(identity, facts(database(), LexingMode.DEFAULT));
    }

    /**
     * @param replySequenceId sequence id of the OK or ERR that ends the connection phase
     * @param admitted the limits the session decision set
     * @param onDone called on the event loop when the connection phase has ended either way
     */
    void start(int replySequenceId, SessionAdmission.Admitted admitted, Runnable onDone) {
        long clientCapabilities =
                response.capabilityFlags() & ClientHandshakeHandler.offeredCapabilities(gateway.greeting());
        String database = database();
        gateway.backendConnector()
                .connect(new BackendConnectRequest(
                        target,
                        clientCapabilities,
                        response.connectAttributes(),
                        gatewayAttributes(),
                        database,
                        response.characterSet(),
                        ctx.channel().eventLoop()))
                .addListener(future -> {
                    connection.enterLogContext();
                    onDone.run();
                    if (future.isSuccess()) {
                        onConnected(
                                (BackendConnection) future.getNow(),
                                clientCapabilities,
                                database,
                                admitted,
                                replySequenceId);
                    } else {
                        onFailed(future.cause(), replySequenceId);
                    }
                });
    }

    private Map<String, String> gatewayAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        // A DBA looking at performance_schema.session_connect_attrs sees which agent is behind each
        // backend connection, although all of them use the gateway's own MySQL account.
        attributes.put("agentgate.issuer", identity.issuer());
        attributes.put("agentgate.subject", identity.subject());
        attributes.put("agentgate.session_id", connection.sessionId());
        attributes.put("agentgate.client_address", clientAddress());
        return attributes;
    }

    private String database() {
        return response.database() != null && !response.database().isEmpty() ? response.database() : target.database();
    }

    private SessionFacts facts(String database, LexingMode lexing) {
        return new SessionFacts(
                connection.connectionId(),
                connection.sessionId(),
                target.name(),
                database == null || database.isEmpty() ? null : database,
                clientAddressAndPort(),
                secure,
                SessionFacts.clientProgram(response.connectAttributes()),
                response.connectAttributes(),
                connection.startedAt(),
                identity.expiresAt(),
                lexing);
    }

    private void onConnected(
            BackendConnection backend,
            long clientCapabilities,
            String database,
            SessionAdmission.Admitted admitted,
            int replySequenceId) {
        if (connection.isClosed()) {
            backend.channel().close();
            return;
        }
        connection.attachBackend(backend.channel());
        SessionInfo info = new SessionInfo(
                connection.connectionId(),
                connection.sessionId(),
                identity.issuer(),
                identity.subject(),
                target.name(),
                backend.connectionId(),
                clientAddress(),
                connection.startedAt());
        SessionFacts facts = facts(
                database,
                LexingMode.atLogin(backend.serverVersion(), response.characterSet())
                        .afterLoginReport(backend.sessionVariables()));
        CommandRelay relay = new CommandRelay(
                gateway,
                connection,
                info,
                backend.capabilityFlags() | (clientCapabilities & CapabilityFlags.CLIENT_SSL),
                identity,
                facts,
                CapabilityFlags.has(clientCapabilities, CapabilityFlags.CLIENT_SESSION_TRACK));
        relay.limitTo(admitted);
        gateway.registry().register(info, relay.control());
        gateway.counters().loginAccepted();
        relay.install(ctx.pipeline(), ctx.name());
        // Logged in: from here on packets may be as large as the configuration allows.
        ctx.pipeline()
                .get(MySQLFrameDecoder.class)
                .setMaxPayloadBytes(gateway.config().listen().maxPacketSize());
        log.info("session open: target={} backend_thread={} tls={}", target.name(), backend.connectionId(), secure);
        // the state changes of the backend's login OK are not relayed: neither is the flag announcing them
        connection.send(
                OkPacket.of(0, 0, backend.statusFlags() & ~ServerStatusFlags.SERVER_SESSION_STATE_CHANGED, 0),
                replySequenceId);
        ctx.channel().config().setAutoRead(true);
    }

    private void onFailed(Throwable cause, int replySequenceId) {
        log.warn(
                "backend connection to target '{}' failed: {}",
                target.name(),
                ClientHandshakeHandler.rootMessage(cause));
        String message = cause instanceof BackendConnectException
                ? cause.getMessage()
                : "target '" + target.name() + "' unavailable";
        ErrPacket error = cause instanceof BackendConnectException refused
                ? refused.clientError().orElse(Errors.of(MySQLErrorCode.ER_UNKNOWN_ERROR, message))
                : Errors.of(MySQLErrorCode.ER_UNKNOWN_ERROR, message);
        connection.failAndClose(error, replySequenceId);
    }

    private String clientAddressAndPort() {
        InetSocketAddress address = (InetSocketAddress) connection.client().remoteAddress();
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private String clientAddress() {
        return ((InetSocketAddress) connection.client().remoteAddress())
                .getAddress()
                .getHostAddress();
    }
}
