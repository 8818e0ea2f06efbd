package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.config.TlsConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reask_on_execute end to end: a real MariaDB, a real OPA with a policy written here, the gateway in process
 * and MySQL Connector/J with server-side prepared statements.
 */
class ReaskOnExecuteMariaDbTest {

  private static final String PASSWORD = "svc-secret";

  /** Allows everything, but the lookup by id is decided again at each EXECUTE, and id 42 is off limits. */
  private static final String POLICY = """
      package agentgate

      by_id if contains(input.statement.sql, "WHERE id = ?")

      decision := {"action": "allow", "reason": "test: prepare by id, ask again at execute", "reask_on_execute": true} if {
        input.command.type == "prepare"
        by_id
      }

      decision := {"action": "allow", "reason": "test: prepare"} if {
        input.command.type == "prepare"
        not by_id
      }

      decision := {"action": "deny", "reason": "test: item 42 is off limits"} if {
        input.command.type == "execute"
        input.command.parameters[0] == 42
      }

      decision := {"action": "allow", "reason": "test: execute"} if {
        input.command.type == "execute"
        not input.command.parameters[0] == 42
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not input.command.type in {"prepare", "execute"}
      }
      """;

  @TempDir static Path directory;
  private static MariaDbServer mariadb;
  private static OpaProcess opa;
  private static GatewayServer gateway;
  private static int gatewayPort;
  private static String token;

  @BeforeAll
  static void startEverything() throws Exception {
    mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
    mariadb.sql("CREATE USER 'svc'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT ALL ON *.* TO 'svc'@'%';"
        + "CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));"
        + "INSERT INTO shop.items VALUES (1, 'one'), (42, 'secret');");
    Path policy = Files.writeString(directory.resolve("policy.rego"), POLICY);
    opa = OpaProcess.start(policy);
    Path key = directory.resolve("dev-issuer.jwk.json");
    DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
    token = DevIssuer.fromKeyFile(key, Clock.systemUTC()).mint("agent-7", "agentgate", Duration.ofMinutes(10), Map.of());
    TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
    gatewayPort = FreePorts.next();
    gateway = GatewayServer.start(GatewayConfig.builder()
        .devMode(true)
        .listen(listen(gatewayPort))
        .tls(new TlsConfig(certificates.serverCertificate(), certificates.serverKey(), false))
        .identity(new IdentityConfig(IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), new DevIssuerConfig(key, List.of("agentgate"))))
        // A loaded test machine: the first decisions of a fresh OPA can take longer than the 250 ms default.
        .policy(new PolicyConfig(opa.url(), PolicyConfig.DEFAULT_DECISION_PATH, Duration.ofSeconds(5), PolicyConfig.DEFAULT_MAX_CONCURRENT,
            PolicyConfig.DEFAULT_CIRCUIT_OPEN_FOR, PolicyConfig.DEFAULT_CACHE_MAX_ENTRIES, Duration.ofSeconds(2), false))
        .target(TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", PASSWORD))
        .build());
  }

  /**
   * The greeting's version as Connector/J needs it against MariaDB 10.11: with the probed
   * "5.5.5-10.11...-MariaDB" it fails the token login ("Unknown server response after fast auth"), and
   * from 5.7.20 on it reads {@code @@transaction_isolation}, which MariaDB 10.11 does not have.
   */
  private static ListenConfig listen(int port) {
    ListenConfig defaults = ListenConfig.defaults();
    return new ListenConfig("127.0.0.1", port, defaults.maxConnections(), defaults.handshakeTimeout(), defaults.idleTimeout(),
        defaults.shutdownGrace(), "5.7.19-agentgate", defaults.maxPacketSize());
  }

  @AfterAll
  static void stopEverything() {
    if (gateway != null) {
      gateway.shutdownGracefully();
    }
    if (opa != null) {
      opa.close();
    }
    if (mariadb != null) {
      mariadb.close();
    }
  }

  private static Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "appdb");
    properties.setProperty("password", token);
    properties.setProperty("sslMode", "REQUIRED");
    properties.setProperty("useServerPrepStmts", "true");
    properties.setProperty("cachePrepStmts", "false");
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gatewayPort + "/shop", properties);
  }

  private static String nameOf(PreparedStatement lookup, int id) throws SQLException {
    lookup.setInt(1, id);
    try (ResultSet rows = lookup.executeQuery()) {
      assertThat(rows.next()).as("a row for id " + id).isTrue();
      return rows.getString(1);
    }
  }

  @Test
  void decidesEachExecuteWithItsBoundValueAndKeepsTheSessionAfterADeny() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement lookup = connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
      assertThat(nameOf(lookup, 1)).isEqualTo("one");

      assertThatThrownBy(() -> nameOf(lookup, 42))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("test: item 42 is off limits")
          .satisfies(error -> assertThat(((SQLException) error).getSQLState()).isEqualTo("42000"));

      assertThat(nameOf(lookup, 1)).isEqualTo("one");
    }
  }
}
