package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.RawLogin;
import dev.agentgate.e2e.env.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What unauthenticated clients can take from the gateway: little memory (a packet before login is refused from its
 * header once it is larger than a login needs) and few connection slots (logins in progress have their own budget,
 * also per client address).
 */
class PreLoginLimitsTest {

    private static final int PER_ADDRESS = 4;

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.configured(
            config -> config.maxConnections(40).handshakeLimits(32, PER_ADDRESS).javaOptions("-Xmx128m"));

    @Test
    void refusesSixteenConcurrent64MiBPasswordsFromTheirFirstHeaderAndKeepsServing() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                InetAddress source = InetAddress.getByName("127.0.1." + (i + 1));
                answers.add(clients.submit(() -> answerToAHugePassword(source)));
            }
            for (Future<byte[]> answer : answers) {
                byte[] error = answer.get();
                assertThat(error).as("an answer before the client sent 64 KiB").isNotNull();
                assertThat(error[0]).as("an ERR packet").isEqualTo((byte) 0xFF);
                assertThat((error[1] & 0xFF) | (error[2] & 0xFF) << 8)
                        .as("ER_NET_PACKET_TOO_LARGE")
                        .isEqualTo(1153);
                assertThat(new String(error, 9, error.length - 9, StandardCharsets.UTF_8))
                        .isEqualTo("Got a packet bigger than a login needs");
            }
        } finally {
            clients.shutdownNow();
        }
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-after-huge-passwords")) {
            assertThat(Sql.scalar(connection, "SELECT 'still serving'")).isEqualTo("still serving");
        }
        assertThat(gateway.process().logTail(10_000)).doesNotContain("OutOfMemoryError");
    }

    @Test
    void refusesLoginsBeyondThePerAddressLimitWhileOtherAddressesAndSessionsAreServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try (Connection established = gateway.connect(JdbcClient.CONNECTOR_J, "agent-established")) {
            InetAddress crowd = InetAddress.getByName("127.0.0.2");
            List<Integer> firstBytes = new ArrayList<>();
            for (int i = 0; i < PER_ADDRESS + 6; i++) {
                Socket socket = new Socket(
                        InetAddress.getByName(gateway.process().host()),
                        gateway.process().port(),
                        crowd,
                        0);
                socket.setSoTimeout(10_000);
                idle.add(socket);
                byte[] first = RawLogin.readPacket(socket.getInputStream());
                firstBytes.add(first == null ? -1 : first[0] & 0xFF);
            }

            assertThat(firstBytes.subList(0, PER_ADDRESS))
                    .as("greetings (protocol 10)")
                    .containsOnly(10);
            assertThat(firstBytes.subList(PER_ADDRESS, firstBytes.size()))
                    .as("ERR packets")
                    .containsOnly(0xFF);
            try (Connection fresh = gateway.connect(JdbcClient.CONNECTOR_J, "agent-fresh")) {
                assertThat(Sql.scalar(fresh, "SELECT 'fresh login'")).isEqualTo("fresh login");
            }
            assertThat(Sql.scalar(established, "SELECT 'still here'")).isEqualTo("still here");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void acceptsAStatementLargerThanTheLoginLimitOnceLoggedIn() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-large-statement")) {
            String large = "x".repeat(200 * 1024);

            assertThat(Sql.scalar(connection, "SELECT LENGTH('" + large + "')"))
                    .isEqualTo(String.valueOf(large.length()));
        }
    }

    /** Connects from {@code source}, sends the header of a 64 MiB login packet and 64 KiB of it, returns the answer. */
    private static byte[] answerToAHugePassword(InetAddress source) throws IOException {
        try (Socket socket = new Socket(
                InetAddress.getByName(gateway.process().host()),
                gateway.process().port(),
                source,
                0)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            RawLogin.readPacket(in);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try {
                socket.getOutputStream().write(RawLogin.header(0xFFFFFF, 1));
                socket.getOutputStream().write(chunk);
            } catch (SocketException closedWhileWriting) {
                // The gateway may close before all of it is written; its answer is still in the receive buffer.
            }
            return RawLogin.readPacket(in);
        }
    }
}
