package dev.agentgate.testing;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.config.TlsConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.transport.GatewayServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway in process for end-to-end tests of this module: dev mode, TLS towards clients, a dev issuer whose
 * token {@link #connect} logs in with, one target, a patient policy client (a loaded test machine's fresh OPA can
 * take longer than the default 250 ms), and MySQL Connector/J as the client.
 */
public final class DevGateway implements AutoCloseable {

  private final GatewayServer server;
  private final int port;
  private final String token;

  private DevGateway(GatewayServer server, int port, String token) {
    this.server = server;
    this.port = port;
    this.token = token;
  }

  /** @param directory where the dev issuer's key and the TLS certificates are written */
  public static DevGateway start(Path directory, OpaProcess opa, TargetConfig target, MaskingConfig masking) throws Exception {
    Path key = directory.resolve("dev-issuer.jwk.json");
    DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
    String token = DevIssuer.fromKeyFile(key, Clock.systemUTC()).mint("agent-7", "agentgate", Duration.ofMinutes(10), Map.of());
    TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
    int port = FreePorts.next();
    PolicyConfig policy = new PolicyConfig(opa.url(), PolicyConfig.DEFAULT_DECISION_PATH, Duration.ofSeconds(5), PolicyConfig.DEFAULT_MAX_CONCURRENT,
        PolicyConfig.DEFAULT_CIRCUIT_OPEN_FOR, PolicyConfig.DEFAULT_CACHE_MAX_ENTRIES, Duration.ofSeconds(2), false, masking);
    GatewayServer server = GatewayServer.start(GatewayConfig.builder()
        .devMode(true)
        .listen(listen(port))
        .tls(new TlsConfig(certificates.serverCertificate(), certificates.serverKey(), false))
        .identity(new IdentityConfig(IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), new DevIssuerConfig(key, List.of("agentgate"))))
        .policy(policy)
        .target(target)
        .build());
    return new DevGateway(server, port, token);
  }

  /**
   * The greeting's version as Connector/J needs it against MariaDB 10.11: with the probed "5.5.5-10.11...-MariaDB"
   * it fails the token login, and from 5.7.20 on it reads {@code @@transaction_isolation}, which MariaDB lacks.
   */
  private static ListenConfig listen(int port) {
    ListenConfig defaults = ListenConfig.defaults();
    return new ListenConfig("127.0.0.1", port, defaults.maxConnections(), defaults.handshakeTimeout(), defaults.idleTimeout(),
        defaults.shutdownGrace(), "5.7.19-agentgate", defaults.maxPacketSize());
  }

  /** A Connector/J connection through the gateway to the target, in {@code database}, over TLS. */
  public Connection connect(String target, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", target);
    properties.setProperty("password", token);
    properties.setProperty("sslMode", "REQUIRED");
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database, properties);
  }

  @Override
  public void close() {
    server.shutdownGracefully();
  }
}
