package dev.agentgate.transport;

import dev.agentgate.config.TargetConfig;
import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.identity.Identity;
import dev.agentgate.identity.TokenRejectedException;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.HandshakeV10Packet;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLPacketTooLargeException;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.protocol.SslRequestPacket;
import dev.agentgate.transport.TokenAuthExchange.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection phase on the client side: greeting, optional TLS upgrade, the token dialogue,
 * token validation and the backend login. On success it hands the channel to a {@link
 * CommandRelay}. Stateful, so one instance per connection (never {@code @Sharable}).
 */
final class ClientHandshakeHandler extends SimpleChannelInboundHandler<MySQLFrame> {

    private static final Logger log = LoggerFactory.getLogger(ClientHandshakeHandler.class);

    /** Capabilities the gateway implements end to end and so may offer to clients. */
    static final long SERVER_CAPABILITIES = CapabilityFlags.CLIENT_LONG_PASSWORD
            | CapabilityFlags.CLIENT_FOUND_ROWS
            | CapabilityFlags.CLIENT_LONG_FLAG
            | CapabilityFlags.CLIENT_CONNECT_WITH_DB
            | CapabilityFlags.CLIENT_IGNORE_SPACE
            | CapabilityFlags.CLIENT_PROTOCOL_41
            | CapabilityFlags.CLIENT_INTERACTIVE
            | CapabilityFlags.CLIENT_SSL
            | CapabilityFlags.CLIENT_IGNORE_SIGPIPE
            | CapabilityFlags.CLIENT_TRANSACTIONS
            | CapabilityFlags.CLIENT_SECURE_CONNECTION
            | CapabilityFlags.CLIENT_MULTI_STATEMENTS
            | CapabilityFlags.CLIENT_MULTI_RESULTS
            | CapabilityFlags.CLIENT_PS_MULTI_RESULTS
            | CapabilityFlags.CLIENT_PLUGIN_AUTH
            | CapabilityFlags.CLIENT_CONNECT_ATTRS
            | CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CapabilityFlags.CLIENT_SESSION_TRACK
            | CapabilityFlags.CLIENT_DEPRECATE_EOF;

    /**
     * What the greeting offers: {@link #SERVER_CAPABILITIES}, and with targets offering MariaDB's extended metadata
     * that too, announced the MariaDB way (without CLIENT_MYSQL, extended capabilities in bits 32-63).
     */
    static long offeredCapabilities(GatewayContext.Greeting greeting) {
        return greeting.extendedMetadata()
                ? SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_MYSQL | CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA
                : SERVER_CAPABILITIES;
    }

    private enum State {
        AWAIT_RESPONSE,
        AWAIT_AUTH_DATA,
        VALIDATING_TOKEN,
        DECIDING_SESSION,
        CONNECTING_BACKEND,
        DONE
    }

    private final GatewayContext gateway;
    private final ClientConnection connection;
    private final byte[] seed;
    private State state = State.AWAIT_RESPONSE;
    /** Sequence id of the gateway's next packet; made only by {@link MySQLFrame}, so it wraps at 256. */
    private int nextSequenceId = 1;

    private boolean secure;
    private HandshakeResponse41Packet response;
    private TokenAuthExchange exchange;
    private ScheduledFuture<?> handshakeTimeout;

    ClientHandshakeHandler(GatewayContext gateway, ClientConnection connection) {
        this.gateway = gateway;
        this.connection = connection;
        this.seed = gateway.newSeed();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.enterLogContext();
        long timeoutMs = gateway.config().listen().handshakeTimeout().toMillis();
        handshakeTimeout = ctx.executor().schedule(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
        long offered = offeredCapabilities(gateway.greeting());
        connection.send(
                new HandshakeV10Packet(
                        HandshakeV10Packet.PROTOCOL_VERSION,
                        gateway.greeting().serverVersion(),
                        connection.connectionId(),
                        seed,
                        offered & 0xFFFF_FFFFL,
                        gateway.greeting().characterSet(),
                        ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT,
                        TokenAuthExchange.CACHING_SHA2,
                        CapabilityFlags.mariaDbExtended(offered)),
                0);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MySQLFrame frame) {
        connection.enterLogContext();
        nextSequenceId = frame.nextSequenceId();
        MySQLPayload payload = new MySQLPayload(frame.payload());
        switch (state) {
            case AWAIT_RESPONSE -> onHandshakeResponse(ctx, payload);
            case AWAIT_AUTH_DATA -> onStep(ctx, exchange.onClientData(ByteBufUtil.getBytes(frame.payload())));
            default -> fail(MySQLErrorCode.ER_HANDSHAKE_ERROR, "unexpected packet during " + state);
        }
    }

    private void onHandshakeResponse(ChannelHandlerContext ctx, MySQLPayload payload) {
        if (!secure && SslRequestPacket.isSslRequest(payload)) {
            ByteBuf early = ctx.pipeline().get(MySQLFrameDecoder.class).takeUnframedBytes();
            SslHandler tls = gateway.serverSslContext().newHandler(ctx.alloc());
            ctx.pipeline().addFirst("tls", tls);
            secure = true;
            if (early.isReadable()) {
                ctx.pipeline().fireChannelRead(early);
            } else {
                early.release();
            }
            return;
        }
        response = HandshakeResponse41Packet.read(payload);
        if ((response.capabilityFlags() & CapabilityFlags.CLIENT_PROTOCOL_41) == 0) {
            log.warn("connection phase with {} failed: client does not speak protocol 4.1", clientHost());
            fail(MySQLErrorCode.ER_HANDSHAKE_ERROR, "client does not speak protocol 4.1");
            return;
        }
        String plugin = response.authPluginName().isEmpty() ? "mysql_native_password" : response.authPluginName();
        if (TokenAuthExchange.isEmptyPassword(response.authResponse()) && !TokenAuthExchange.ranNoPlugin(plugin)) {
            // With an empty password no plugin dialogue can end in a token, and some clients (the mariadb CLI) lose
            // the connection in one instead of reporting the refusal.
            accessDenied(TokenAuthExchange.NO_TOKEN);
            return;
        }
        exchange = new TokenAuthExchange(
                gateway.config().auth().switchPlugin(),
                secure,
                gateway.config().devMode() && gateway.config().tls().allowInsecureTokenLogin(),
                gateway::newSeed,
                TokenAuthExchange.needsClearPassword(
                        response.connectAttributes(), gateway.greeting().serverVersion()));
        onStep(ctx, exchange.start(plugin, response.authResponse()));
    }

    private void onStep(ChannelHandlerContext ctx, Step step) {
        if (step instanceof Step.Send send) {
            state = State.AWAIT_AUTH_DATA;
            connection.send(send.packet(), nextSequenceId);
            nextSequenceId = MySQLFrame.sequenceIdAfter(nextSequenceId);
        } else if (step instanceof Step.Failed failed) {
            accessDenied(failed.reason());
        } else if (step instanceof Step.TokenReceived received) {
            validate(ctx, received.token());
        }
    }

    private void validate(ChannelHandlerContext ctx, String token) {
        InetAddress address = connection.clientAddress();
        if (gateway.loginRateLimiter().isBlocked(address)) {
            accessDenied("too many failed logins from " + address.getHostAddress() + ": try again later");
            return;
        }
        state = State.VALIDATING_TOKEN;
        ctx.channel().config().setAutoRead(false);
        gateway.tokenValidator()
                .validate(token)
                .whenComplete(
                        (identity, error) -> ctx.executor().execute(() -> onTokenValidated(ctx, identity, error)));
    }

    /**
     * The target is looked up only after the token was checked, so that without a valid token an unknown target
     * name is answered exactly like a known one: target names cannot be enumerated.
     */
    private void onTokenValidated(ChannelHandlerContext ctx, Identity identity, Throwable error) {
        connection.enterLogContext();
        if (connection.isClosed()) {
            return;
        }
        InetAddress address = connection.clientAddress();
        if (error != null) {
            gateway.loginRateLimiter().recordFailure(address);
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TokenRejectedException rejected) {
                accessDenied(rejected.getMessage() + " (" + rejected.detail() + ")", rejected.getMessage());
            } else {
                log.error("token validation failed for target '{}'", response.username(), cause);
                accessDenied("token could not be validated");
            }
            return;
        }
        TargetConfig target = gateway.config().targets().get(response.username());
        if (target == null) {
            gateway.loginRateLimiter().recordFailure(address);
            accessDenied("unknown target '" + response.username() + "'");
            return;
        }
        gateway.loginRateLimiter().recordSuccess(address);
        log.info(
                "token accepted: issuer={} subject={} target={} expires={}",
                identity.issuer(),
                identity.subject(),
                target.name(),
                identity.expiresAt());
        state = State.DECIDING_SESSION;
        BackendLogin login = new BackendLogin(gateway, connection, ctx, response, identity, target, secure);
        login.admission()
                .whenComplete((verdict, failure) -> ctx.executor().execute(() -> onSessionDecided(login, verdict)));
    }

    /** The session decision is in: a refusal ends the login with the policy's reason, an admission goes on. */
    private void onSessionDecided(BackendLogin login, SessionAdmission.Verdict verdict) {
        connection.enterLogContext();
        if (connection.isClosed() || state != State.DECIDING_SESSION) {
            return;
        }
        if (!(verdict instanceof SessionAdmission.Admitted admitted)) {
            String reason = verdict == null ? "the session decision failed" : verdict.reason();
            accessDenied(
                    "session refused: " + reason,
                    verdict instanceof SessionAdmission.Refused refused ? refused.clientMessage() : reason);
            return;
        }
        connection.endConnectionPhase();
        state = State.CONNECTING_BACKEND;
        login.start(nextSequenceId, admitted, () -> {
            state = State.DONE;
            handshakeTimeout.cancel(false);
        });
    }

    /** For log lines: the client's address, whatever kind of channel (tests use embedded ones). */
    private String clientHost() {
        return connection.client().remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress()
                : String.valueOf(connection.client().remoteAddress());
    }

    private void timedOut() {
        log.warn("connection phase with {} timed out in state {}", clientHost(), state);
        fail(MySQLErrorCode.ER_HANDSHAKE_ERROR, "handshake timeout");
    }

    private void accessDenied(String reason) {
        accessDenied(reason, reason);
    }

    /** Every refused login leaves one log line with the client's address, whether or not a token was checked. */
    private void accessDenied(String logReason, String clientReason) {
        gateway.counters().loginRefused();
        String user = response == null ? "" : response.username();
        log.warn("login refused for target '{}' from {}: {}", user, clientHost(), logReason);
        fail(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + user + "': " + clientReason);
    }

    private void fail(MySQLErrorCode code, String message) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        connection.failAndClose(Errors.of(code, message), nextSequenceId);
    }

    /**
     * Whatever failed (a malformed or oversized packet, a bug), the client learns only the kind of failure: details
     * such as sizes or internal messages go to the log, with the client's address.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.enterLogContext();
        log.warn("connection phase with {} failed in state {}: {}", clientHost(), state, cause.toString());
        if (rootCause(cause) instanceof MySQLPacketTooLargeException) {
            fail(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE, "Got a packet bigger than a login needs");
        } else {
            fail(MySQLErrorCode.ER_HANDSHAKE_ERROR, MySQLErrorCode.ER_HANDSHAKE_ERROR.messageFormat());
        }
    }

    private static Throwable rootCause(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String rootMessage(Throwable cause) {
        Throwable t = rootCause(cause);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
