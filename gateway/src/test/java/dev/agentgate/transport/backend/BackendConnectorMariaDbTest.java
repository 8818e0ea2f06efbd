package dev.agentgate.transport.backend;

import static dev.agentgate.protocol.CapabilityFlags.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.TestCertificates;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** BackendConnector against real MariaDB servers: one with TLS and performance_schema, one without TLS. */
@Tag("integration")
class BackendConnectorMariaDbTest {

    private static final String PASSWORD = "s3cret-Pw";
    private static final long MYSQL_CLIENT_FLAGS = CLIENT_LONG_PASSWORD
            | CLIENT_FOUND_ROWS
            | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_STATEMENTS
            | CLIENT_MULTI_RESULTS
            | CLIENT_PS_MULTI_RESULTS
            | CLIENT_PLUGIN_AUTH
            | CLIENT_CONNECT_ATTRS
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CLIENT_DEPRECATE_EOF
            | CLIENT_LOCAL_FILES
            | CLIENT_COMPRESS
            | CLIENT_SESSION_TRACK
            | CLIENT_SSL;
    private static final int UTF8MB4_GENERAL_CI = 45;

    private static Path directory;
    private static TestCertificates certificates;
    private static TestCertificates otherCa;
    private static MariaDbServer tlsServer;
    private static MariaDbServer plainServer;
    private static EventLoopGroup group;

    @BeforeAll
    static void startServers() throws Exception {
        directory = Files.createTempDirectory("agentgate-backend-test");
        certificates = TestCertificates.create(directory, "test", "localhost");
        otherCa = TestCertificates.create(directory, "other", "localhost");
        tlsServer = MariaDbServer.start(
                Files.createDirectory(directory.resolve("tls")),
                "--ssl-cert=" + certificates.serverCertificate(),
                "--ssl-key=" + certificates.serverKey(),
                "--performance-schema=ON");
        plainServer = MariaDbServer.start(Files.createDirectory(directory.resolve("plain")), "--skip-ssl");
        for (MariaDbServer server : List.of(tlsServer, plainServer)) {
            server.sql("CREATE USER 'svc'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('" + PASSWORD + "');"
                    + "GRANT ALL ON *.* TO 'svc'@'%'; CREATE DATABASE appdb;");
        }
        tlsServer.sql("INSTALL SONAME 'auth_ed25519';"
                + "CREATE USER 'edsvc'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('" + PASSWORD + "');");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopServers() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (MariaDbServer server : new MariaDbServer[] {tlsServer, plainServer}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void authenticatesWithNativePasswordAndReportsWhatTheServerAnnounced() throws Exception {
        BackendConnection connection = connect(target(tlsServer, BackendTlsMode.DISABLED), null);

        assertThat(connection.serverVersion()).contains("MariaDB");
        assertThat(connection.connectionId()).isPositive();
        assertThat(connection.encrypted()).isFalse();
        assertThat(connection.characterSet()).isPositive();
        assertThat(connection.capabilityFlags() & (CLIENT_PROTOCOL_41 | CLIENT_DEPRECATE_EOF | CLIENT_MULTI_RESULTS))
                .isEqualTo(CLIENT_PROTOCOL_41 | CLIENT_DEPRECATE_EOF | CLIENT_MULTI_RESULTS);
        assertThat(connection.capabilityFlags() & (CLIENT_LOCAL_FILES | CLIENT_COMPRESS | CLIENT_SSL))
                .isZero();
        connection.channel().close();
    }

    @Test
    void hasTheServerTrackTheVariablesThatDecideHowItReadsSql() throws Exception {
        tlsServer.sql("SET GLOBAL sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'");
        try {
            BackendConnection connection = connect(target(tlsServer, BackendTlsMode.DISABLED), null);

            assertThat(connection.capabilityFlags() & CLIENT_SESSION_TRACK).isEqualTo(CLIENT_SESSION_TRACK);
            assertThat(connection.sessionVariables())
                    .containsEntry("sql_mode", "ANSI_QUOTES,STRICT_TRANS_TABLES")
                    .containsEntry("character_set_client", "utf8mb4");
            assertThat(connection.sessionVariables().get("session_track_system_variables"))
                    .contains("sql_mode", "character_set_client", "session_track_system_variables");
            connection.channel().close();
        } finally {
            tlsServer.sql("SET GLOBAL sql_mode = DEFAULT");
        }
    }

    @Test
    void authenticatesWithMariaDbsEd25519Plugin() throws Exception {
        TargetConfig nativeUser = target(tlsServer, BackendTlsMode.DISABLED);
        TargetConfig ed25519 = new TargetConfig(
                nativeUser.name(),
                nativeUser.host(),
                nativeUser.port(),
                "edsvc",
                PASSWORD,
                null,
                nativeUser.connectTimeout(),
                nativeUser.tls());

        BackendConnection connection = connect(ed25519, null);

        assertThat(tlsServer.sql(
                        "SELECT USER FROM information_schema.PROCESSLIST WHERE ID = " + connection.connectionId()))
                .isEqualTo("edsvc");
        connection.channel().close();
    }

    @Test
    void returnsAChannelWithOnlyTheFrameCodecAndAutoReadOff() throws Exception {
        Channel channel =
                connect(target(tlsServer, BackendTlsMode.DISABLED), null).channel();

        assertThat(channel.pipeline().names())
                .startsWith(BackendConnector.FRAME_DECODER, BackendConnector.FRAME_ENCODER)
                .hasSize(3);
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.close();
    }

    @Test
    void returnsAChannelThatCarriesCommands() throws Exception {
        Channel channel =
                connect(target(tlsServer, BackendTlsMode.DISABLED), null).channel();

        assertThat(firstResponsePayload(channel, "SELECT 1")).containsExactly(1);
        channel.close();
    }

    @Test
    void forwardsConnectAttributesWithAgentgatesOwnWinning() throws Exception {
        BackendConnection connection = connect(target(tlsServer, BackendTlsMode.DISABLED), null);

        String attributes = tlsServer.sql("SELECT ATTR_NAME, ATTR_VALUE FROM performance_schema.session_connect_attrs"
                + " WHERE PROCESSLIST_ID = " + connection.connectionId() + " ORDER BY ATTR_NAME");
        assertThat(attributes.lines())
                .containsExactly(
                        "_client_name\tunit-test",
                        "agentgate.issuer\thttps://issuer.example",
                        "agentgate.session_id\t42",
                        "agentgate.subject\trepo:acme/app");
        connection.channel().close();
    }

    @Test
    void selectsTheRequestedDatabase() throws Exception {
        BackendConnection connection = connect(target(tlsServer, BackendTlsMode.DISABLED), "appdb");

        assertThat(tlsServer.sql(
                        "SELECT DB FROM information_schema.PROCESSLIST WHERE ID = " + connection.connectionId()))
                .isEqualTo("appdb");
        connection.channel().close();
    }

    @Test
    void reportsAnUnknownDatabaseAsARefusedLogin() {
        assertThat(connectFailure(target(tlsServer, BackendTlsMode.DISABLED), "nosuchdb"))
                .isEqualTo("target 'appdb' refused the login: Unknown database 'nosuchdb'");
    }

    @Test
    void encryptsWhenTheModeIsRequiredAndCarriesCommandsOverTls() throws Exception {
        BackendConnection connection = connect(target(tlsServer, BackendTlsMode.REQUIRED), null);

        assertThat(connection.encrypted()).isTrue();
        assertThat(connection.channel().pipeline().get(SslHandler.class)).isNotNull();
        assertThat(firstResponsePayload(connection.channel(), "SELECT 1")).containsExactly(1);
        connection.channel().close();
    }

    @Test
    void preferredUsesTlsWhenTheServerOffersIt() throws Exception {
        assertThat(connectsEncrypted(target(tlsServer, BackendTlsMode.PREFERRED)))
                .isTrue();
    }

    @Test
    void preferredFallsBackToPlaintextWhenTheServerHasNoTls() throws Exception {
        assertThat(connectsEncrypted(target(plainServer, BackendTlsMode.PREFERRED)))
                .isFalse();
    }

    @Test
    void refusesATargetWithoutTlsWhenTheModeIsRequired() {
        assertThat(connectFailure(target(plainServer, BackendTlsMode.REQUIRED), null))
                .isEqualTo("target 'appdb' does not offer TLS, but its tls mode is required");
    }

    @Test
    void verifyCaAcceptsAServerCertificateSignedByTheConfiguredCa() throws Exception {
        assertThat(connectsEncrypted(target(tlsServer, BackendTlsMode.VERIFY_CA, certificates.caCertificate())))
                .isTrue();
    }

    @Test
    void verifyCaRejectsAServerCertificateFromAnotherCa() {
        assertThat(connectFailure(target(tlsServer, BackendTlsMode.VERIFY_CA, otherCa.caCertificate()), null))
                .isEqualTo(
                        "target 'appdb' TLS handshake failed: the server certificate is not trusted by the configured CA");
    }

    @Test
    void verifyIdentityAcceptsACertificateNamingTheHost() throws Exception {
        TargetConfig byName =
                withHost(target(tlsServer, BackendTlsMode.VERIFY_IDENTITY, certificates.caCertificate()), "localhost");
        assertThat(connectsEncrypted(byName)).isTrue();
    }

    @Test
    void verifyIdentityRejectsACertificateThatDoesNotNameTheHost() {
        assertThat(connectFailure(
                        target(tlsServer, BackendTlsMode.VERIFY_IDENTITY, certificates.caCertificate()), null))
                .isEqualTo(
                        "target 'appdb' TLS handshake failed: the server certificate does not match host '127.0.0.1'");
    }

    @Test
    void reportsAWrongPasswordWithTheServersMessage() {
        TargetConfig wrong = target(tlsServer, BackendTlsMode.DISABLED);
        wrong = new TargetConfig(
                wrong.name(),
                wrong.host(),
                wrong.port(),
                wrong.user(),
                "wrong",
                null,
                wrong.connectTimeout(),
                wrong.tls());

        assertThat(connectFailure(wrong, null))
                .startsWith("target 'appdb' rejected the gateway's credentials: Access denied for user 'svc'@")
                .endsWith("(using password: YES)");
    }

    @Test
    void reportsARefusedConnection() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TargetConfig nowhere = new TargetConfig(
                "appdb",
                "127.0.0.1",
                closedPort,
                "svc",
                PASSWORD,
                null,
                Duration.ofSeconds(2),
                new BackendTlsConfig(BackendTlsMode.DISABLED, null));

        assertThat(connectFailure(nowhere, null)).isEqualTo("target 'appdb' unreachable: connection refused");
    }

    @Test
    void reportsAnUnknownHost() {
        TargetConfig nowhere = withHost(target(tlsServer, BackendTlsMode.DISABLED), "no-such-host.invalid");

        assertThat(connectFailure(nowhere, null)).isEqualTo("target 'appdb' unreachable: unknown host");
    }

    @Test
    void probeReadsTheServerVersionAndCapabilities() throws Exception {
        BackendGreeting greeting = new BackendProbe(NioSocketChannel.class)
                .probe(target(tlsServer, BackendTlsMode.DISABLED), group.next())
                .get(10, TimeUnit.SECONDS);

        assertThat(greeting.serverVersion()).contains("MariaDB");
        assertThat(greeting.capabilityFlags() & (CLIENT_PROTOCOL_41 | CLIENT_SSL))
                .isEqualTo(CLIENT_PROTOCOL_41 | CLIENT_SSL);
    }

    private static TargetConfig target(MariaDbServer server, BackendTlsMode mode) {
        return target(server, mode, null);
    }

    private static TargetConfig target(MariaDbServer server, BackendTlsMode mode, Path caFile) {
        return new TargetConfig(
                "appdb",
                "127.0.0.1",
                server.port(),
                "svc",
                PASSWORD,
                null,
                Duration.ofSeconds(5),
                new BackendTlsConfig(mode, caFile));
    }

    private static TargetConfig withHost(TargetConfig target, String host) {
        return new TargetConfig(
                target.name(),
                host,
                target.port(),
                target.user(),
                target.password(),
                target.database(),
                target.connectTimeout(),
                target.tls());
    }

    private static BackendConnection connect(TargetConfig target, String database) throws Exception {
        return new BackendConnector(NioSocketChannel.class, 16 * 1024 * 1024, List.of(target))
                .connect(request(target, database))
                .get(10, TimeUnit.SECONDS);
    }

    /** Whether a connection to the target ends up encrypted; closes it. */
    private static boolean connectsEncrypted(TargetConfig target) throws Exception {
        BackendConnection connection = connect(target, null);
        connection.channel().close();
        return connection.encrypted();
    }

    private static String connectFailure(TargetConfig target, String database) {
        var future = new BackendConnector(NioSocketChannel.class, 16 * 1024 * 1024, List.of(target))
                .connect(request(target, database));
        assertThat(future.awaitUninterruptibly(10, TimeUnit.SECONDS))
                .as("connect attempt finished")
                .isTrue();
        assertThat(future.cause()).isInstanceOf(BackendConnectException.class);
        return future.cause().getMessage();
    }

    private static BackendConnectRequest request(TargetConfig target, String database) {
        return new BackendConnectRequest(
                target,
                MYSQL_CLIENT_FLAGS,
                Map.of("_client_name", "unit-test", "agentgate.subject", "spoofed"),
                Map.of(
                        "agentgate.issuer",
                        "https://issuer.example",
                        "agentgate.subject",
                        "repo:acme/app",
                        "agentgate.session_id",
                        "42"),
                database,
                UTF8MB4_GENERAL_CI,
                group.next());
    }

    /** Sends a COM_QUERY and returns the payload of the first response packet. */
    private static byte[] firstResponsePayload(Channel channel, String sql) throws Exception {
        BlockingQueue<byte[]> payloads = new ArrayBlockingQueue<>(16);
        channel.pipeline().addLast(new SimpleChannelInboundHandler<MySQLFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, MySQLFrame frame) {
                byte[] bytes = new byte[frame.payload().readableBytes()];
                frame.payload().readBytes(bytes);
                payloads.offer(bytes);
            }
        });
        byte[] query = sql.getBytes(StandardCharsets.UTF_8);
        channel.writeAndFlush(MySQLFrame.of(0, Unpooled.buffer().writeByte(0x03).writeBytes(query)))
                .sync();
        channel.read();
        byte[] payload = payloads.poll(10, TimeUnit.SECONDS);
        assertThat(payload).as("response to " + sql).isNotNull();
        return payload;
    }
}
