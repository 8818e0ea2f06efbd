package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Sets up each accepted client connection, or turns it away when the gateway is full. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {

  private static final Logger log = LoggerFactory.getLogger(ClientChannelInitializer.class);
  private static final MySQLFrameEncoder ENCODER = new MySQLFrameEncoder();

  private final GatewayContext gateway;

  ClientChannelInitializer(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline().addLast("frames", new MySQLFrameDecoder(gateway.config().listen().maxPacketSize()));
    channel.pipeline().addLast("encoder", ENCODER);
    Optional<Integer> connectionId = gateway.registry().reserve();
    if (connectionId.isEmpty()) {
      gateway.counters().connectionRefusedAtMax();
      log.warn("refusing connection from {}: max_connections ({}) reached", channel.remoteAddress(), gateway.config().listen().maxConnections());
      channel.writeAndFlush(MySQLFrame.fromPacket(Errors.of(MySQLErrorCode.ER_CON_COUNT_ERROR, "Too many connections"), 0, channel.alloc()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    String sessionId = newSessionId();
    MDC.put("session", sessionId);
    log.info("client connected from {} as connection {}", channel.remoteAddress(), connectionId.get());
    ClientConnection connection = new ClientConnection(connectionId.get(), sessionId, channel, gateway.registry());
    channel.pipeline().addLast("handshake", new ClientHandshakeHandler(gateway, connection));
  }

  private String newSessionId() {
    byte[] bytes = new byte[8];
    gateway.random().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
