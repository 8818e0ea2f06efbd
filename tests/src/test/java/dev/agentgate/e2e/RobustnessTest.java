package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.RawLogin;
import dev.agentgate.e2e.env.Sql;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad and excessive clients are turned away without harming the gateway. */
class RobustnessTest {

    private static final int MAX_CONNECTIONS = 3;

    @RegisterExtension
    static final GatewayExtension gateway =
            GatewayExtension.configured(config -> config.maxConnections(MAX_CONNECTIONS));

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @Test
    void answersGarbageAfterTheGreetingWithAnErrorOrByClosingAndKeepsServing() throws Exception {
        try (Socket socket =
                new Socket(gateway.process().host(), gateway.process().port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] greeting = RawLogin.readPacket(in);
            assertThat(greeting).as("greeting payload").isNotNull();
            assertThat(greeting[0]).as("protocol version 10").isEqualTo((byte) 10);
            // Correctly framed (length 296, sequence id 1) so the gateway must parse the garbage as a handshake
            // response.
            byte[] garbage = new byte[300];
            new Random(7).nextBytes(garbage);
            garbage[0] = (byte) (garbage.length - 4);
            garbage[1] = (byte) ((garbage.length - 4) >> 8);
            garbage[2] = 0;
            garbage[3] = 1;
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
            byte[] answer = RawLogin.readPacket(in);
            if (answer != null) {
                assertThat(answer[0])
                        .as("the gateway's answer is an ERR packet")
                        .isEqualTo((byte) 0xFF);
            }
        }
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-after-garbage")) {
            assertThat(Sql.scalar(connection, "SELECT 'still serving'")).isEqualTo("still serving");
        }
    }

    @Test
    void answersALoginPacketWithSequenceId255WithAnErrorOfSequenceId0AndCloses() throws Exception {
        try (Socket socket =
                new Socket(gateway.process().host(), gateway.process().port())) {
            socket.setSoTimeout(15_000);
            InputStream in = socket.getInputStream();
            RawLogin.readPacket(in);
            OutputStream out = socket.getOutputStream();
            out.write(RawLogin.handshakeResponse(255, GatewayExtension.TARGET));
            out.flush();

            byte[] header = in.readNBytes(4);
            assertThat(header).as("a packet header").hasSize(4);
            assertThat(header[3]).as("sequence id after 255").isZero();
            byte[] answer = in.readNBytes((header[0] & 0xFF) | (header[1] & 0xFF) << 8);
            assertThat(answer[0]).as("an ERR packet").isEqualTo((byte) 0xFF);
            assertThat(in.read()).as("the gateway closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void refusesConnectionsBeyondMaxConnectionsWithError1040() throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                held.add(gateway.connect(JdbcClient.CONNECTOR_J, "agent-crowd"));
            }
            SQLException refused = assertSqlError(
                    () -> gateway.connect(JdbcClient.CONNECTOR_J, "agent-crowd").close(), 1040);
            assertThat(refused.getSQLState()).isEqualTo("08004");
            assertThat(Sql.scalar(held.get(0), "SELECT 'held'")).isEqualTo("held");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
