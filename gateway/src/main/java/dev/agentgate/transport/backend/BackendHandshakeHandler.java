package dev.agentgate.transport.backend;

import dev.agentgate.analysis.SessionTracking;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.AuthMoreDataPacket;
import dev.agentgate.protocol.AuthSwitchRequestPacket;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.HandshakeV10Packet;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.SessionStateChanges;
import dev.agentgate.protocol.SslRequestPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the MySQL connection phase towards a backend: greeting, optional TLS upgrade,
 * HandshakeResponse41, then auth switches / more data until OK or ERR. Reads one read-batch at a time (auto-read is
 * off) and holds no more than the packet in hand; the whole exchange is bounded by the target's connect timeout.
 * On success it removes itself, gives the frame decoder the relay's packet limit and completes the promise.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html">Connection Phase</a>
 */
final class BackendHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHandshakeHandler.class);

    private enum State {
        AWAITING_GREETING,
        UPGRADING_TO_TLS,
        AUTHENTICATING,
        TRACKING,
        FINISHED
    }

    /** Run once logged in, when the backend tracks session state. */
    static final String TRACKING_SQL = SessionTracking.ESTABLISH;

    private final BackendConnectRequest request;
    private final TargetConfig target;
    private final Optional<SslContext> sslContext;
    private final int maxPacketBytes;
    private final Promise<BackendConnection> promise;
    private State state = State.AWAITING_GREETING;
    private ScheduledFuture<?> timeout;
    private HandshakeV10Packet greeting;
    private long capabilities;
    private int nextSequenceId;
    private AuthPluginExchange auth;
    private OkPacket loginOk;

    BackendHandshakeHandler(
            BackendConnectRequest request,
            Optional<SslContext> sslContext,
            int maxPacketBytes,
            Promise<BackendConnection> promise) {
        this.request = request;
        this.target = request.target();
        this.sslContext = sslContext;
        this.maxPacketBytes = maxPacketBytes;
        this.promise = promise;
    }

    /** A caller that gives up (its client went away) cancels the promise; the half-open backend goes with it. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        promise.addListener(done -> {
            if (done.isCancelled()) {
                ctx.close();
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long millis = target.connectTimeout().toMillis();
        timeout = ctx.executor()
                .schedule(
                        () -> fail(
                                ctx,
                                new BackendConnectException("target '" + target.name()
                                        + "' did not complete the handshake within " + millis + " ms")),
                        millis,
                        TimeUnit.MILLISECONDS);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.FINISHED) {
                return;
            }
            if (!(msg instanceof MySQLFrame frame)) {
                throw BackendConnectException.protocolError(target.name(), "sent data the handshake cannot read", null);
            }
            nextSequenceId = frame.nextSequenceId();
            onPacket(ctx, frame.payload());
        } catch (BackendConnectException e) {
            fail(ctx, e);
        } catch (MalformedPacketException | IndexOutOfBoundsException e) {
            fail(ctx, BackendConnectException.protocolError(target.name(), "sent a malformed handshake packet", e));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state != State.FINISHED) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(
                ctx,
                new BackendConnectException(
                        "target '" + target.name() + "' closed the connection during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.UPGRADING_TO_TLS || cause instanceof SSLException) {
            fail(ctx, BackendConnectException.tlsFailed(target.name(), target.host(), cause));
        } else {
            fail(ctx, BackendConnectException.protocolError(target.name(), "broke off the handshake", cause));
        }
    }

    private void onPacket(ChannelHandlerContext ctx, ByteBuf payload) throws BackendConnectException {
        switch (state) {
            case AWAITING_GREETING -> onGreeting(ctx, BackendGreeting.readHandshake(target.name(), payload));
            case AUTHENTICATING -> onAuthPacket(ctx, payload);
            case TRACKING -> onTrackingAnswer(ctx, payload);
            default ->
                throw BackendConnectException.protocolError(
                        target.name(), "sent a packet during the TLS upgrade", null);
        }
    }

    private void onGreeting(ChannelHandlerContext ctx, HandshakeV10Packet handshake) throws BackendConnectException {
        greeting = handshake;
        boolean useTls = BackendTlsContexts.useTls(target, handshake.capabilityFlags());
        String database = request.effectiveDatabase();
        capabilities = CapabilityNegotiation.negotiate(
                target.name(),
                request.clientCapabilities(),
                BackendGreeting.capabilities(handshake),
                useTls,
                database != null);
        auth = new AuthPluginExchange(target.name(), target.password(), useTls);
        if (!useTls) {
            sendHandshakeResponse(ctx);
            return;
        }
        state = State.UPGRADING_TO_TLS;
        send(ctx, new SslRequestPacket(capabilities, maxPacketBytes, request.characterSet()));
        SslHandler ssl = sslContext.orElseThrow().newHandler(ctx.alloc(), target.host(), target.port());
        ctx.pipeline().addFirst(ssl);
        ssl.handshakeFuture().addListener((Future<Channel> done) -> {
            if (done.isSuccess()) {
                sendHandshakeResponse(ctx);
            } else {
                fail(ctx, BackendConnectException.tlsFailed(target.name(), target.host(), done.cause()));
            }
        });
    }

    private void sendHandshakeResponse(ChannelHandlerContext ctx) {
        if (state == State.FINISHED) {
            return;
        }
        state = State.AUTHENTICATING;
        try {
            byte[] authResponse = auth.start(greeting.authPluginName(), greeting.authPluginData());
            send(
                    ctx,
                    new HandshakeResponse41Packet(
                            capabilities,
                            maxPacketBytes,
                            request.characterSet(),
                            target.user(),
                            authResponse,
                            Objects.requireNonNullElse(request.effectiveDatabase(), ""),
                            greeting.authPluginName(),
                            request.connectAttributes()));
        } catch (BackendConnectException e) {
            fail(ctx, e);
        }
    }

    private void onAuthPacket(ChannelHandlerContext ctx, ByteBuf payload) throws BackendConnectException {
        int header = payload.getUnsignedByte(payload.readerIndex());
        switch (header) {
            case OkPacket.HEADER -> loggedIn(ctx, OkPacket.read(new MySQLPayload(payload), capabilities));
            case ErrPacket.HEADER -> {
                ErrPacket err = ErrPacket.read(new MySQLPayload(payload));
                throw BackendConnectException.loginRefused(target.name(), err);
            }
            case AuthSwitchRequestPacket.HEADER -> {
                AuthSwitchRequestPacket authSwitch = AuthSwitchRequestPacket.read(new MySQLPayload(payload));
                sendAuthData(ctx, auth.start(authSwitch.pluginName(), authSwitch.pluginData()));
            }
            case AuthMoreDataPacket.HEADER -> {
                Optional<byte[]> answer = auth.onMoreData(
                        AuthMoreDataPacket.read(new MySQLPayload(payload)).data());
                if (answer.isPresent()) {
                    sendAuthData(ctx, answer.get());
                }
            }
            default ->
                throw BackendConnectException.protocolError(
                        target.name(),
                        "sent an unexpected packet (0x" + Integer.toHexString(header) + ") during authentication",
                        null);
        }
    }

    private void loggedIn(ChannelHandlerContext ctx, OkPacket ok) {
        if (!CapabilityFlags.has(capabilities, CapabilityFlags.CLIENT_SESSION_TRACK)) {
            succeed(ctx, ok, Map.of());
            return;
        }
        loginOk = ok;
        state = State.TRACKING;
        nextSequenceId = 0;
        send(ctx, new ComQueryPacket(TRACKING_SQL));
    }

    private void onTrackingAnswer(ChannelHandlerContext ctx, ByteBuf payload) throws BackendConnectException {
        int header = payload.getUnsignedByte(payload.readerIndex());
        if (header == ErrPacket.HEADER) {
            ErrPacket err = ErrPacket.read(new MySQLPayload(payload));
            throw new BackendConnectException(
                    "target '" + target.name() + "' refused to track session state: " + err.message());
        }
        if (header != OkPacket.HEADER) {
            throw BackendConnectException.protocolError(
                    target.name(), "answered the session tracking setup with an unexpected packet", null);
        }
        OkPacket ok = OkPacket.read(new MySQLPayload(payload), capabilities);
        succeed(ctx, loginOk, SessionStateChanges.parse(ok.sessionStateInfo()).systemVariables());
    }

    private void succeed(ChannelHandlerContext ctx, OkPacket ok, Map<String, String> sessionVariables) {
        state = State.FINISHED;
        timeout.cancel(false);
        // from here on the relay's packet limit applies; bytes the old decoder still holds pass to the new one
        ctx.pipeline()
                .replace(
                        BackendConnector.FRAME_DECODER,
                        BackendConnector.FRAME_DECODER,
                        new MySQLFrameDecoder(maxPacketBytes));
        ctx.pipeline().remove(this);
        BackendConnection connection = new BackendConnection(
                ctx.channel(),
                greeting.serverVersion(),
                Integer.toUnsignedLong(greeting.connectionId()),
                capabilities,
                ok.statusFlags(),
                greeting.characterSet(),
                (capabilities & CapabilityFlags.CLIENT_SSL) != 0,
                sessionVariables);
        if (!promise.trySuccess(connection)) {
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, BackendConnectException failure) {
        if (state == State.FINISHED) {
            return;
        }
        state = State.FINISHED;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (promise.tryFailure(failure)) {
            LOG.warn("backend handshake with {} failed: {}", target, failure.getMessage(), failure.getCause());
        }
        ctx.close();
    }

    private void sendAuthData(ChannelHandlerContext ctx, byte[] data) {
        write(
                ctx,
                MySQLFrame.of(takeSequenceId(), ctx.alloc().buffer(data.length).writeBytes(data)));
    }

    private void send(ChannelHandlerContext ctx, MySQLPacket packet) {
        write(ctx, MySQLFrame.fromPacket(packet, takeSequenceId(), ctx.alloc()));
    }

    private int takeSequenceId() {
        int sequenceId = nextSequenceId;
        nextSequenceId = (nextSequenceId + 1) & 0xFF;
        return sequenceId;
    }

    private void write(ChannelHandlerContext ctx, MySQLFrame frame) {
        ctx.writeAndFlush(frame).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                fail(
                        ctx,
                        BackendConnectException.protocolError(
                                target.name(), "could not be written to", written.cause()));
            }
        });
    }
}
