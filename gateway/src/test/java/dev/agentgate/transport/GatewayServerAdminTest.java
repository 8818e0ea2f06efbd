package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.PrometheusSamples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint as started and stopped by the gateway itself. */
class GatewayServerAdminTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GatewayServer gateway;

    @BeforeEach
    void startGateway() throws Exception {
        ListenConfig oneClient = new ListenConfig(
                "127.0.0.1",
                0,
                1,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ZERO,
                "8.0.40-test",
                ListenConfig.DEFAULT_MAX_PACKET_SIZE);
        gateway = GatewayServer.start(GatewayConfig.builder()
                .listen(oneClient)
                .policy(PolicyConfig.defaults().withOpaUrl(URI.create("http://127.0.0.1:" + FreePorts.next())))
                .admin(AdminConfig.enabledOn("127.0.0.1", 0))
                .target(TargetConfig.of("appdb", "127.0.0.1", FreePorts.next(), "svc", "pw"))
                .build());
    }

    @AfterEach
    void stopGateway() {
        gateway.shutdownGracefully();
    }

    @Test
    void servesHealthOnceTheGatewayAcceptsClients() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheSessionMetersFedByTheSessionEventSeam() throws Exception {
        assertThat(PrometheusSamples.parse(get("/metrics").body()))
                .containsEntry("agentgate_sessions_started_total", 0.0)
                .containsEntry("agentgate_statements_total{action=\"deny\"}", 0.0)
                .containsEntry("agentgate_commands_total{outcome=\"refused\"}", 0.0);
    }

    @Test
    void countsAConnectionRefusedBecauseTheGatewayIsFull() throws Exception {
        // The second connection opens only once the first holds its place: two connections arriving together are
        // counted on different event loops, so which one would be refused is not defined.
        try (Socket first = new Socket("127.0.0.1", gateway.port())) {
            readGreeting(first.getInputStream());
            try (Socket second = new Socket("127.0.0.1", gateway.port())) {
                assertThat(second.getInputStream().readAllBytes())
                        .as("ER_CON_COUNT_ERROR, then closed")
                        .isNotEmpty();
            }

            assertThat(PrometheusSamples.parse(get("/metrics").body()))
                    .containsEntry("agentgate_connections_open", 1.0)
                    .containsEntry("agentgate_connections_refused_max_total", 1.0);
        }
    }

    @Test
    void countsALoginRefusedWithAccessDenied() throws Exception {
        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            readGreeting(client.getInputStream());
            client.getOutputStream().write(plaintextHandshakeResponse());
            assertThat(client.getInputStream().readAllBytes())
                    .as("ER_ACCESS_DENIED_ERROR, then closed")
                    .isNotEmpty();

            assertThat(PrometheusSamples.parse(get("/metrics").body()))
                    .containsEntry("agentgate_logins_refused_total", 1.0)
                    .containsEntry("agentgate_logins_accepted_total", 0.0);
        }
    }

    @Test
    void stopsServingWhenTheGatewayHasShutDown() {
        int adminPort = gateway.adminPort();

        gateway.shutdownGracefully();

        assertThatThrownBy(() -> new Socket("127.0.0.1", adminPort).close()).isInstanceOf(ConnectException.class);
    }

    private static void readGreeting(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        assertThat(header).hasSize(4);
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(length);
        assertThat(payload).hasSize(length);
        assertThat(payload[0])
                .as("protocol version 10 (a greeting, not an error packet)")
                .isEqualTo((byte) 10);
    }

    /** A login without TLS, which the gateway refuses: tokens never travel in plain text. */
    private static byte[] plaintextHandshakeResponse() {
        ByteBuf payload = Unpooled.buffer();
        new HandshakeResponse41Packet(
                        CapabilityFlags.CLIENT_PROTOCOL_41
                                | CapabilityFlags.CLIENT_SECURE_CONNECTION
                                | CapabilityFlags.CLIENT_PLUGIN_AUTH,
                        1 << 24,
                        45,
                        "appdb",
                        new byte[0],
                        null,
                        "mysql_clear_password",
                        Map.of())
                .write(new MySQLPayload(payload));
        ByteBuf packet = Unpooled.buffer()
                .writeMediumLE(payload.readableBytes())
                .writeByte(1)
                .writeBytes(payload);
        payload.release();
        byte[] bytes = ByteBufUtil.getBytes(packet);
        packet.release();
        return bytes;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
