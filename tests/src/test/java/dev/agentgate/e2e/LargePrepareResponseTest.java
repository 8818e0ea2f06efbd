package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.HandshakeResponse41Packet;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A COM_STMT_PREPARE whose answer is a thousand column definitions (some 80 KB, more than the gateway buffers for
 * a client before it stops reading the backend) reaches the client whole, over TLS and over plain TCP, to a
 * client that reads at once and to one that reads slowly.
 */
class LargePrepareResponseTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.insecureDevLogin());

    private static final int COLUMNS = 1000;
    private static final String THOUSAND_COLUMNS = IntStream.rangeClosed(1, COLUMNS)
            .mapToObj(i -> "? + " + i + " AS a_rather_long_column_label_" + i)
            .limit(COLUMNS)
            .collect(Collectors.joining(", ", "SELECT ", ""));
    private static final String THOUSAND_CONSTANTS = IntStream.rangeClosed(1, COLUMNS)
            .mapToObj(i -> i + " AS a_rather_long_column_label_" + i)
            .collect(Collectors.joining(", ", "SELECT ", ""));
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int COM_STMT_PREPARE = 0x16;

    @Test
    void preparesAndExecutesAThousandColumnsServerSideOverTls() {
        assertTimeoutPreemptively(PATIENCE, () -> {
            try (Connection connection =
                            gateway.connect(JdbcClient.CONNECTOR_J, "agent-wide", "useServerPrepStmts=true");
                    PreparedStatement statement = connection.prepareStatement(THOUSAND_CONSTANTS);
                    ResultSet rs = statement.executeQuery()) {
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(COLUMNS);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(COLUMNS)).isEqualTo(COLUMNS);
            }
        });
    }

    @Test
    void answersAPrepareOfAThousandColumnsToAClientOverPlainTcpThatReadsAtOnce() {
        assertTimeoutPreemptively(PATIENCE, () -> {
            try (Socket socket = loginOverPlainTcp()) {
                assertThat(prepare(socket, THOUSAND_COLUMNS, 0)).isEqualTo(1 + COLUMNS + 1 + COLUMNS + 1);
            }
        });
    }

    @Test
    void answersAPrepareOfAThousandColumnsToAClientOverPlainTcpThatReadsSlowly() {
        assertTimeoutPreemptively(PATIENCE, () -> {
            try (Socket socket = loginOverPlainTcp()) {
                assertThat(prepare(socket, THOUSAND_COLUMNS, 2)).isEqualTo(1 + COLUMNS + 1 + COLUMNS + 1);
            }
        });
    }

    /**
     * Sends COM_STMT_PREPARE and reads the answer to its end, pausing {@code pauseMillis} after each packet.
     *
     * @return the number of packets: PREPARE_OK, parameter definitions, EOF, column definitions, EOF
     */
    private static int prepare(Socket socket, String sql, long pauseMillis) throws Exception {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] command = new byte[1 + text.length];
        command[0] = COM_STMT_PREPARE;
        System.arraycopy(text, 0, command, 1, text.length);
        writePacket(socket.getOutputStream(), 0, command);
        InputStream in = socket.getInputStream();
        byte[] ok = readPacket(in);
        assertThat(ok[0])
                .as("PREPARE_OK, not an error: %s", new String(ok, StandardCharsets.UTF_8))
                .isEqualTo((byte) 0);
        int columns = (ok[5] & 0xFF) | (ok[6] & 0xFF) << 8;
        int parameters = (ok[7] & 0xFF) | (ok[8] & 0xFF) << 8;
        int packets = 1;
        int expected = 1 + parameters + 1 + columns + 1;
        while (packets < expected) {
            readPacket(in);
            packets++;
            if (pauseMillis > 0 && packets % 50 == 0) {
                Thread.sleep(pauseMillis * 50);
            }
        }
        return packets;
    }

    /** Logs in as a client without TLS would (the gateway in dev mode switches it to mysql_clear_password). */
    private static Socket loginOverPlainTcp() throws IOException {
        Socket socket = new Socket(gateway.process().host(), gateway.process().port());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        readPacket(in); // the greeting
        long capabilities = CapabilityFlags.CLIENT_PROTOCOL_41
                | CapabilityFlags.CLIENT_SECURE_CONNECTION
                | CapabilityFlags.CLIENT_PLUGIN_AUTH
                | CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
                | CapabilityFlags.CLIENT_LONG_PASSWORD
                | CapabilityFlags.CLIENT_TRANSACTIONS;
        byte[] token = gateway.issuer().valid("agent-plain-wide").getBytes(StandardCharsets.UTF_8);
        byte[] tokenNul = new byte[token.length + 1];
        System.arraycopy(token, 0, tokenNul, 0, token.length);
        writePacket(
                out,
                1,
                bytesOf(new HandshakeResponse41Packet(
                        capabilities,
                        1 << 24,
                        45,
                        GatewayExtension.TARGET,
                        tokenNul,
                        null,
                        "mysql_clear_password",
                        Map.of())));
        int sequenceId = 3;
        for (byte[] answer = readPacket(in); ; answer = readPacket(in), sequenceId += 2) {
            int header = answer[0] & 0xFF;
            if (header == 0x00) {
                return socket;
            }
            assertThat(header)
                    .as("login answer: %s", new String(answer, StandardCharsets.UTF_8))
                    .isIn(0x01, 0xFE);
            writePacket(out, sequenceId, tokenNul);
        }
    }

    private static byte[] bytesOf(HandshakeResponse41Packet packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    private static void writePacket(OutputStream out, int sequenceId, byte[] payload) throws IOException {
        byte[] header = {
            (byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) sequenceId
        };
        out.write(header);
        out.write(payload);
        out.flush();
    }

    private static byte[] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        assertThat(header).as("a packet header").hasSize(4);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = in.readNBytes(length);
        assertThat(payload).as("a whole packet").hasSize(length);
        return payload;
    }
}
