package dev.agentgate.transport;

import dev.agentgate.identity.JwtTokenValidator;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import dev.agentgate.session.NoConnectionIdException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Sets up each accepted client connection, or turns it away when the gateway is full. */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(ClientChannelInitializer.class);
    private static final MySQLFrameEncoder ENCODER = new MySQLFrameEncoder();

    /**
     * Largest packet accepted before login: a handshake response or auth packet with the longest token the
     * validator accepts, plus room for user name, database, plugin name and connect attributes. A larger one is
     * refused from its header, before its payload is buffered; {@code listen.max_packet_size} applies only once
     * the client has logged in.
     */
    static final int MAX_CONNECTION_PHASE_PACKET = JwtTokenValidator.MAX_TOKEN_CHARS + 16 * 1024;

    /** Replaced by a configuration reload: connections accepted after it log in with the new targets and issuers. */
    private volatile GatewayContext gateway;

    private final HandshakeBudget handshakes;

    ClientChannelInitializer(GatewayContext gateway) {
        this.gateway = gateway;
        this.handshakes = new HandshakeBudget(
                gateway.config().listen().maxHandshakes(),
                gateway.config().listen().maxHandshakesPerAddress());
    }

    /** Connections accepted from now on use {@code next}; those already open keep the context they began with. */
    void replace(GatewayContext next) {
        this.gateway = next;
    }

    @Override
    protected void initChannel(Channel channel) {
        GatewayContext gateway = this.gateway;
        channel.pipeline()
                .addLast(
                        "frames",
                        new MySQLFrameDecoder(Math.min(
                                MAX_CONNECTION_PHASE_PACKET,
                                gateway.config().listen().maxPacketSize())));
        channel.pipeline().addLast("encoder", ENCODER);
        Optional<HandshakeBudget.Slot> handshake = handshakes.tryAcquire(ClientConnection.addressOf(channel));
        if (handshake.isEmpty()) {
            gateway.counters().connectionRefusedAtHandshakeLimit();
            log.warn(
                    "refusing connection from {}: too many logins in progress (listen.max_handshakes {}, per address {})",
                    channel.remoteAddress(),
                    gateway.config().listen().maxHandshakes(),
                    gateway.config().listen().maxHandshakesPerAddress());
            refuse(channel);
            return;
        }
        Optional<Integer> connectionId;
        try {
            connectionId = gateway.registry().reserve();
        } catch (NoConnectionIdException none) {
            handshake.get().release();
            log.warn("refusing connection from {}: {}", channel.remoteAddress(), none.getMessage());
            refuse(channel, Errors.of(MySQLErrorCode.ER_UNKNOWN_ERROR, none.getMessage()));
            return;
        }
        if (connectionId.isEmpty()) {
            handshake.get().release();
            gateway.counters().connectionRefusedAtMax();
            log.warn(
                    "refusing connection from {}: max_connections ({}) reached",
                    channel.remoteAddress(),
                    gateway.config().listen().maxConnections());
            refuse(channel);
            return;
        }
        String sessionId = newSessionId();
        MDC.put("session", sessionId);
        log.info("client connected from {} as connection {}", channel.remoteAddress(), connectionId.get());
        ClientConnection connection = new ClientConnection(connectionId.get(), sessionId, channel, gateway.registry());
        connection.holdDuringConnectionPhase(handshake.get());
        channel.pipeline().addLast("handshake", new ClientHandshakeHandler(gateway, connection));
    }

    private static void refuse(Channel channel) {
        refuse(channel, Errors.of(MySQLErrorCode.ER_CON_COUNT_ERROR, "Too many connections"));
    }

    private static void refuse(Channel channel, ErrPacket error) {
        channel.writeAndFlush(MySQLFrame.fromPacket(error, 0, channel.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code <instance_id>-<16 hex digits>}: unique across a fleet whose replicas have distinct instance ids. */
    private String newSessionId() {
        byte[] bytes = new byte[8];
        gateway.random().nextBytes(bytes);
        return gateway.config().instanceId() + "-" + HexFormat.of().formatHex(bytes);
    }
}
