package dev.agentgate.transport;

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
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * A real MariaDB, a real OPA running a policy written by the test, and the gateway in process, for tests that talk
 * to the gateway with MySQL Connector/J (TLS, a dev-issuer token as password, database target {@code appdb}).
 */
record MariaDbGateway(MariaDbServer mariadb, OpaProcess opa, GatewayServer gateway, int port, String token)
    implements AutoCloseable {

  private static final String PASSWORD = "svc-secret";

  /**
   * @param setupSql statements run as root first; a service account 'svc' with all privileges already exists
   * @param policy   the Rego module OPA serves
   * @param policyConfig adjusts the policy section (e.g. its masking settings)
   */
  static MariaDbGateway start(Path directory, String setupSql, String policy, UnaryOperator<PolicyConfig> policyConfig)
      throws Exception {
    MariaDbServer mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
    OpaProcess opa = null;
    try {
      mariadb.sql("CREATE USER 'svc'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT ALL ON *.* TO 'svc'@'%';" + setupSql);
      opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), policy));
      Path key = directory.resolve("dev-issuer.jwk.json");
      DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
      String token = DevIssuer.fromKeyFile(key, Clock.systemUTC()).mint("agent-7", "agentgate", Duration.ofMinutes(10), Map.of());
      TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
      int port = FreePorts.next();
      GatewayServer gateway = GatewayServer.start(GatewayConfig.builder()
          .devMode(true)
          .listen(listen(port))
          .tls(new TlsConfig(certificates.serverCertificate(), certificates.serverKey(), false))
          .identity(new IdentityConfig(IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), new DevIssuerConfig(key, List.of("agentgate"))))
          // A loaded test machine: the first decisions of a fresh OPA can take longer than the 250 ms default.
          .policy(policyConfig.apply(new PolicyConfig(opa.url(), PolicyConfig.DEFAULT_DECISION_PATH, Duration.ofSeconds(5),
              PolicyConfig.DEFAULT_MAX_CONCURRENT, PolicyConfig.DEFAULT_CIRCUIT_OPEN_FOR, PolicyConfig.DEFAULT_CACHE_MAX_ENTRIES,
              Duration.ofSeconds(2), false)))
          .target(TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", PASSWORD))
          .build());
      return new MariaDbGateway(mariadb, opa, gateway, port, token);
    } catch (Exception | Error e) {
      if (opa != null) {
        opa.close();
      }
      mariadb.close();
      throw e;
    }
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

  /** A Connector/J connection through the gateway to {@code database}, with extra driver properties. */
  Connection connect(String database, Map<String, String> driverProperties) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "appdb");
    properties.setProperty("password", token);
    properties.setProperty("sslMode", "REQUIRED");
    properties.putAll(driverProperties);
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database, properties);
  }

  @Override
  public void close() {
    gateway.shutdownGracefully();
    opa.close();
    mariadb.close();
  }
}
