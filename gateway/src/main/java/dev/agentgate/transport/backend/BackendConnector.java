package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an authenticated connection to a target on the client channel's own event loop, so a session's two
 * channels never hand data across threads. The result's pipeline is {@code frameDecoder} + {@code frameEncoder}
 * (behind an SslHandler when TLS was negotiated) with auto-read off.
 */
public final class BackendConnector {

    public static final String FRAME_DECODER = "frameDecoder";
    public static final String FRAME_ENCODER = "frameEncoder";
    static final String HANDSHAKE_HANDLER = "backendHandshake";

    /** Greeting, auth data, an RSA key or an ERR all fit easily; a larger packet during the handshake is refused. */
    static final int HANDSHAKE_MAX_PACKET_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);
    private static final MySQLFrameEncoder ENCODER = new MySQLFrameEncoder();

    private final Class<? extends Channel> channelType;
    private final int maxPacketBytes;
    private final Map<String, Optional<SslContext>> tlsContexts = new HashMap<>();
    private final Map<String, BackendConnectException> tlsErrors = new HashMap<>();

    /**
     * @param channelType    the socket channel class matching the event loops' transport (NIO or epoll)
     * @param maxPacketBytes the largest logical packet the relay accepts from the backend (listen.max_packet_size)
     * @param targets        all configured targets; their TLS contexts are built here, off the event loops
     */
    public BackendConnector(
            Class<? extends Channel> channelType, int maxPacketBytes, Collection<TargetConfig> targets) {
        this.channelType = Objects.requireNonNull(channelType, "channelType must not be null");
        if (maxPacketBytes < HANDSHAKE_MAX_PACKET_BYTES) {
            throw new IllegalArgumentException(
                    "maxPacketBytes must be at least " + HANDSHAKE_MAX_PACKET_BYTES + ", was " + maxPacketBytes);
        }
        this.maxPacketBytes = maxPacketBytes;
        for (TargetConfig target : targets) {
            try {
                tlsContexts.put(target.name(), BackendTlsContexts.forTarget(target));
            } catch (BackendConnectException e) {
                tlsErrors.put(target.name(), e);
            }
        }
    }

    /** Connects and authenticates; fails with a {@link BackendConnectException} whose message suits the client. */
    public Future<BackendConnection> connect(BackendConnectRequest request) {
        EventLoop loop = request.eventLoop();
        TargetConfig target = request.target();
        Promise<BackendConnection> promise = loop.newPromise();
        BackendConnectException tlsError = tlsErrors.get(target.name());
        if (tlsError != null || !tlsContexts.containsKey(target.name())) {
            return promise.setFailure(
                    tlsError != null
                            ? tlsError
                            : new BackendConnectException(
                                    "target '" + target.name() + "' is not configured in this gateway"));
        }
        Optional<SslContext> sslContext = tlsContexts.get(target.name());
        connect(
                loop,
                target,
                promise,
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(FRAME_DECODER, new MySQLFrameDecoder(HANDSHAKE_MAX_PACKET_BYTES))
                                .addLast(FRAME_ENCODER, ENCODER)
                                .addLast(
                                        HANDSHAKE_HANDLER,
                                        new BackendHandshakeHandler(request, sslContext, maxPacketBytes, promise));
                    }
                },
                channelType);
        return promise;
    }

    /**
     * Resolves the target off the loop, then connects on it with auto-read off; {@code promise} fails with a
     * client-safe message when the target cannot be reached, otherwise {@code initializer}'s handlers complete it.
     */
    static void connect(
            EventLoop loop,
            TargetConfig target,
            Promise<?> promise,
            ChannelInitializer<Channel> initializer,
            Class<? extends Channel> channelType) {
        TargetAddressResolver.resolve(target, loop).addListener((Future<InetSocketAddress> resolved) -> {
            if (!resolved.isSuccess()) {
                failUnreachable(target, promise, resolved.cause());
                return;
            }
            new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                            Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis()))
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(initializer)
                    .connect(resolved.getNow())
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            failUnreachable(target, promise, connected.cause());
                        }
                    });
        });
    }

    private static void failUnreachable(TargetConfig target, Promise<?> promise, Throwable cause) {
        LOG.warn("cannot connect to {}: {}", target, cause.toString());
        promise.tryFailure(BackendConnectException.unreachable(target.name(), cause));
    }
}
