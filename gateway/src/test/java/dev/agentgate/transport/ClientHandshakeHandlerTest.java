package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.HandshakeV10Packet;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.SslRequestPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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

    @TempDir
    Path dir;

    private ConnectionPhaseGateway gateway;
    private EmbeddedChannel channel;

    @BeforeEach
    void openChannel() throws Exception {
        open(new GatewayContext.Greeting("10.11.0-MariaDB-agentgate", 45));
    }

    private void open(GatewayContext.Greeting greeting) throws Exception {
        gateway = ConnectionPhaseGateway.create(dir, greeting);
        channel = new EmbeddedChannel();
        channel.pipeline().addLast("frames", new MySQLFrameDecoder(1 << 20));
        channel.pipeline().addLast("encoder", new MySQLFrameEncoder());
        ClientConnection connection = new ClientConnection(
                1, "test-session", channel, gateway.context().registry());
        gateway.context().registry().reserve();
        channel.pipeline().addLast("handshake", new ClientHandshakeHandler(gateway.context(), connection));
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        gateway.close();
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
        bytes.writeMediumLE(frame.payload().readableBytes())
                .writeByte(sequenceId)
                .writeBytes(frame.payload());
        frame.release();
        return bytes;
    }

    @Test
    void greetsWithCachingSha2AndNeverOffersCompressionOrLocalFiles() {
        HandshakeV10Packet greeting = HandshakeV10Packet.read(payloadOf(written()));
        assertThat(greeting.authPluginName()).isEqualTo("caching_sha2_password");
        assertThat(greeting.connectionId()).isEqualTo(1);
        assertThat(greeting.authPluginData()).hasSize(20).doesNotContain((byte) 0);
        assertThat(greeting.capabilityFlags() & (CapabilityFlags.CLIENT_COMPRESS | CapabilityFlags.CLIENT_LOCAL_FILES))
                .isZero();
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
        assertThat(extended.capabilityFlags())
                .isEqualTo(ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_MYSQL);
        assertThat(CapabilityFlags.withMariaDbExtended(
                        extended.capabilityFlags(), extended.mariaDbExtendedCapabilities()))
                .isEqualTo(extended.capabilityFlags() | CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA);
    }

    @Test
    void refusesATokenLoginWithoutTls() {
        written().release();
        channel.writeInbound(packet(
                1,
                new HandshakeResponse41Packet(
                        ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
                        1 << 24,
                        45,
                        "appdb",
                        scramble(),
                        "",
                        "caching_sha2_password",
                        Map.of())));
        ErrPacket error = ErrPacket.read(payloadOf(written()));
        assertThat(error.errorCode()).isEqualTo(1045);
        assertThat(error.message())
                .isEqualTo("Access denied for user 'appdb': token logins require TLS: connect with SSL/TLS enabled");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAClientHelloThatArrivedInTheSameSegmentAsTheSslRequest() throws Exception {
        written().release();
        SslContext client = SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
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
        assertThat(error.message()).isEqualTo("Bad handshake");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAPacketWithSequenceId255WithSequenceId0AndCloses() {
        written().release();
        channel.writeInbound(packet(
                255,
                new HandshakeResponse41Packet(
                        ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
                        1 << 24,
                        45,
                        "appdb",
                        scramble(),
                        "",
                        "caching_sha2_password",
                        Map.of())));
        ByteBuf answer = written();
        assertThat((int) answer.getUnsignedByte(3)).isZero();
        assertThat(ErrPacket.read(payloadOf(answer)).errorCode()).isEqualTo(1045);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnEmptyPasswordAtOnceWithAccessDenied() {
        written().release();
        channel.writeInbound(packet(
                1,
                new HandshakeResponse41Packet(
                        ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
                        1 << 24,
                        45,
                        "appdb",
                        new byte[0],
                        "",
                        "mysql_native_password",
                        Map.of())));
        ErrPacket error = ErrPacket.read(payloadOf(written()));
        assertThat(error.errorCode()).isEqualTo(1045);
        assertThat(error.message())
                .isEqualTo("Access denied for user 'appdb': no token given: use the OIDC token as the password");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAClearTextPasswordOfOnlyItsTerminatorAsEmpty() {
        written().release();
        channel.writeInbound(packet(
                1,
                new HandshakeResponse41Packet(
                        ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
                        1 << 24,
                        45,
                        "appdb",
                        new byte[1],
                        "",
                        "mysql_clear_password",
                        Map.of())));
        ErrPacket error = ErrPacket.read(payloadOf(written()));
        assertThat(error.errorCode()).isEqualTo(1045);
        assertThat(error.message()).endsWith("no token given: use the OIDC token as the password");
    }

    @Test
    void logsARefusalBeforeTheTokenIsCheckedWithTheClientAddress() {
        written().release();
        List<String> lines = capturedLog(() -> channel.writeInbound(packet(
                1,
                new HandshakeResponse41Packet(
                        ClientHandshakeHandler.SERVER_CAPABILITIES & ~CapabilityFlags.CLIENT_SSL,
                        1 << 24,
                        45,
                        "appdb",
                        new byte[0],
                        "",
                        "mysql_native_password",
                        Map.of()))));

        assertThat(lines)
                .containsExactly(
                        "login refused for target 'appdb' from embedded: no token given: use the OIDC token as the password");
    }

    @Test
    void endsAConnectionThatSendsNothingAtTheHandshakeTimeoutAndLogsItsAddress() {
        written().release();
        List<String> lines = capturedLog(() -> {
            channel.advanceTimeBy(
                    dev.agentgate.config.ListenConfig.DEFAULT_HANDSHAKE_TIMEOUT.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        });

        assertThat(ErrPacket.read(payloadOf(written())).message()).isEqualTo("handshake timeout");
        assertThat(channel.isOpen()).isFalse();
        assertThat(lines).containsExactly("connection phase with embedded timed out in state AWAIT_RESPONSE");
    }

    /** What the handshake handler logged while {@code action} ran. */
    private static List<String> capturedLog(Runnable action) {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ClientHandshakeHandler.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** A caching_sha2_password scramble as a client with a password sends it: 32 bytes, not all zero. */
    private static byte[] scramble() {
        byte[] scramble = new byte[32];
        java.util.Arrays.fill(scramble, (byte) 0x5a);
        return scramble;
    }
}
