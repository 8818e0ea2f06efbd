package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.identity.JwtTokenValidator;
import dev.agentgate.identity.LoginRateLimiter;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.HandshakeV10Packet;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.SslRequestPacket;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.transport.backend.BackendConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection phase on the client side, driven through an EmbeddedChannel. */
class ClientHandshakeHandlerTest {

  @TempDir Path dir;
  private JwtTokenValidator validator;
  private EmbeddedChannel channel;

  @BeforeEach
  void openChannel() throws Exception {
    DevIssuer.writeKeyFile(DevIssuer.generateKey(), dir.resolve("dev.jwk.json"));
    open(new GatewayContext.Greeting("10.11.0-MariaDB-agentgate", 45));
  }

  private void open(GatewayContext.Greeting greeting) throws Exception {
    Path key = dir.resolve("dev.jwk.json");
    IdentityConfig identity = new IdentityConfig(Duration.ofSeconds(60), List.of(), new DevIssuerConfig(key, List.of("agentgate")));
    GatewayConfig config = GatewayConfig.builder().devMode(true).identity(identity)
        .target(TargetConfig.of("appdb", "127.0.0.1", 3306, "svc", "pw")).build();
    validator = JwtTokenValidator.create(identity, true);
    GatewayContext gateway = new GatewayContext(config, validator, new LoginRateLimiter(20), new SessionRegistry(10),
        new BackendConnector(NioSocketChannel.class, 1 << 20, config.targets().values()),
        ServerTls.serverContext(config.tls()), null, greeting, new SecureRandom(), new dev.agentgate.admin.GatewayCounters(), null);
    channel = new EmbeddedChannel();
    channel.pipeline().addLast("frames", new MySQLFrameDecoder(1 << 20));
    channel.pipeline().addLast("encoder", new MySQLFrameEncoder());
    ClientConnection connection = new ClientConnection(1, "test-session", channel, gateway.registry());
    gateway.registry().reserve();
    channel.pipeline().addLast("handshake", new ClientHandshakeHandler(gateway, connection));
    channel.pipeline().fireChannelActive();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    validator.close();
  }

  private ByteBuf written() {
    ByteBuf all = Unpooled.buffer();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      ByteBuf part = (ByteBuf) out;
      all.writeBytes(part);
      part.release();
    }
    return all;
  }

  private static MySQLPayload payloadOf(ByteBuf packet) {
    packet.skipBytes(4);
    return new MySQLPayload(packet);
  }

  private static ByteBuf packet(int sequenceId, dev.agentgate.protocol.MySQLPacket packet) {
    MySQLFrame frame = MySQLFrame.fromPacket(packet, sequenceId, io.netty.buffer.ByteBufAllocator.DEFAULT);
    ByteBuf bytes = Unpooled.buffer();
    bytes.writeMediumLE(frame.payload().readableBytes()).writeByte(sequenceId).writeBytes(frame.payload());
    frame.release();
    return bytes;
  }

  @Test
  void greetsWithCachingSha2AndNeverOffersCompressionOrLocalFiles() {
    HandshakeV10Packet greeting = HandshakeV10Packet.read(payloadOf(written()));
    assertThat(greeting.authPluginName()).isEqualTo("caching_sha2_password");
    assertThat(greeting.connectionId()).isEqualTo(1);
    assertThat(greeting.authPluginData()).hasSize(20).doesNotContain((byte) 0);
    assertThat(greeting.capabilityFlags() & (CapabilityFlags.CLIENT_COMPRESS | CapabilityFlags.CLIENT_LOCAL_FILES)).isZero();
    assertThat(greeting.capabilityFlags() & CapabilityFlags.CLIENT_SSL).isNotZero();
  }

  @Test
  void offersNoMariaDbExtendedCapabilityUnlessTheTargetsHaveExtendedMetadata() throws Exception {
    HandshakeV10Packet plain = HandshakeV10Packet.read(payloadOf(written()));
    close();
    open(new GatewayContext.Greeting("10.11.0-MariaDB-agentgate", 45, true));
    HandshakeV10Packet extended = HandshakeV10Packet.read(payloadOf(written()));

    assertThat(plain.mariaDbExtendedCapabilities()).isZero();
    assertThat(plain.capabilityFlags()).isEqualTo(ClientHandshakeHandler.SERVER_CAPABILITIES);
    assertThat(extended.capabilityFlags()).isEqualTo(ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_MYSQL);
    assertThat(CapabilityFlags.withMariaDbExtended(extended.capabilityFlags(), extended.mariaDbExtendedCapabilities()))
        .isEqualTo(extended.capabilityFlags() | CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA);
  }

  @Test
  void refusesATokenLoginWithoutTls() {
    written().release();
    channel.writeInbound(packet(1, new HandshakeResponse41Packet(ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
        1 << 24, 45, "appdb", new byte[32], "", "caching_sha2_password", Map.of())));
    ErrPacket error = ErrPacket.read(payloadOf(written()));
    assertThat(error.errorCode()).isEqualTo(1045);
    assertThat(error.message()).isEqualTo("Access denied for user 'appdb': token logins require TLS: connect with SSL/TLS enabled");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void answersAClientHelloThatArrivedInTheSameSegmentAsTheSslRequest() throws Exception {
    written().release();
    SslContext client = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    SSLEngine engine = client.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
    engine.beginHandshake();
    ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), hello);
    assertThat(result.bytesProduced()).isPositive();
    hello.flip();
    ByteBuf segment = packet(1, new SslRequestPacket(ClientHandshakeHandler.SERVER_CAPABILITIES, 1 << 24, 45));
    segment.writeBytes(hello);
    channel.writeInbound(segment);
    ByteBuf answer = written();
    // 0x16: a TLS handshake record (ServerHello), not a MySQL error about a malformed packet.
    assertThat(answer.readableBytes()).isPositive();
    assertThat((int) answer.getUnsignedByte(0)).isEqualTo(0x16);
    answer.release();
  }

  @Test
  void endsTheConnectionPhaseWithAnErrorOnGarbage() {
    written().release();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, 0, 1, (byte) 0xde, (byte) 0xad, (byte) 0xbe}));
    ErrPacket error = ErrPacket.read(payloadOf(written()));
    assertThat(error.errorCode()).isEqualTo(1043);
    assertThat(error.message()).startsWith("Bad handshake: ");
    assertThat(channel.isOpen()).isFalse();
  }
}
