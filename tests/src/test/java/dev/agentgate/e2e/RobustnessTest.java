package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
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
  static final GatewayExtension gateway = GatewayExtension.configured(config -> config.maxConnections(MAX_CONNECTIONS));
  private static final MariaDbServer mariadb = MariaDbServer.shared();

  @Test
  void answersGarbageAfterTheGreetingWithAnErrorOrByClosingAndKeepsServing() throws Exception {
    try (Socket socket = new Socket(gateway.process().host(), gateway.process().port())) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      byte[] greeting = readPacket(in);
      assertThat(greeting).as("greeting payload").isNotNull();
      assertThat(greeting[0]).as("protocol version 10").isEqualTo((byte) 10);
      // Correctly framed (length 296, sequence id 1) so the gateway must parse the garbage as a handshake response.
      byte[] garbage = new byte[300];
      new Random(7).nextBytes(garbage);
      garbage[0] = (byte) (garbage.length - 4);
      garbage[1] = (byte) ((garbage.length - 4) >> 8);
      garbage[2] = 0;
      garbage[3] = 1;
      OutputStream out = socket.getOutputStream();
      out.write(garbage);
      out.flush();
      byte[] answer = readPacket(in);
      if (answer != null) {
        assertThat(answer[0]).as("the gateway's answer is an ERR packet").isEqualTo((byte) 0xFF);
      }
    }
    try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-after-garbage")) {
      assertThat(Sql.scalar(connection, "SELECT 'still serving'")).isEqualTo("still serving");
    }
  }

  @Test
  void refusesConnectionsBeyondMaxConnectionsWithError1040() throws SQLException {
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        held.add(gateway.connect(JdbcClient.CONNECTOR_J, "agent-crowd"));
      }
      SQLException refused = assertSqlError(() -> gateway.connect(JdbcClient.CONNECTOR_J, "agent-crowd").close(), 1040);
      assertThat(refused.getSQLState()).isEqualTo("08004");
      assertThat(Sql.scalar(held.get(0), "SELECT 'held'")).isEqualTo("held");
    } finally {
      for (Connection connection : held) {
        connection.close();
      }
    }
  }

  /** One MySQL packet's payload, or null when the peer closed the connection (or reset it). */
  private static byte[] readPacket(InputStream in) throws IOException {
    try {
      byte[] header = in.readNBytes(4);
      if (header.length < 4) {
        return null;
      }
      int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
      byte[] payload = in.readNBytes(length);
      return payload.length == length ? payload : null;
    } catch (SocketException e) {
      return null; // connection reset: the gateway closed on us, which is an accepted answer
    }
  }
}
