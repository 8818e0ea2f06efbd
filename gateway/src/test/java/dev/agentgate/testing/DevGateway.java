package dev.agentgate.testing;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.config.TlsConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.transport.GatewayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway in process for end-to-end tests of this module, with a private MariaDB as target {@code appdb} (service
 * account {@code svc} with all privileges) and an OPA running a policy of the test: dev mode, TLS towards clients, a
 * dev issuer whose token {@link #connect} logs in with, a patient policy client (a loaded test machine's fresh OPA
 * can take longer than the default 250 ms), and MySQL Connector/J as the client. Closing stops all three.
 */
public final class DevGateway implements AutoCloseable {

    private static final String SERVICE_PASSWORD = "svc-secret";

    private final List<AutoCloseable> parts;
    private final int port;
    private final String token;
    private final DevIssuer issuer;
    private final GatewayServer server;

    private DevGateway(List<AutoCloseable> parts, int port, String token, DevIssuer issuer, GatewayServer server) {
        this.parts = parts;
        this.port = port;
        this.token = token;
        this.issuer = issuer;
        this.server = server;
    }

    /**
     * How the gateway of a test differs from the default one.
     *
     * @param sessionEvents the sinks every session's events go to
     * @param idleTimeout {@code listen.idle_timeout}
     */
    public record Options(List<SessionEvents> sessionEvents, Duration idleTimeout, RecordingConfig recording) {
        public Options(List<SessionEvents> sessionEvents, Duration idleTimeout) {
            this(sessionEvents, idleTimeout, RecordingConfig.disabled());
        }

        /** Sessions recorded as {@code recording} says (its state database beside the recordings). */
        public static Options recorded(RecordingConfig recording) {
            return new Options(List.of(), ListenConfig.defaults().idleTimeout(), recording);
        }

        public static Options defaults() {
            return new Options(List.of(), ListenConfig.defaults().idleTimeout());
        }
    }

    /**
     * @param directory where MariaDB's data, the policy, the dev issuer's key and the TLS certificates are written
     * @param policy Rego of {@code package agentgate}
     * @param setupSql run as root on the fresh MariaDB (schemas, tables, rows)
     */
    public static DevGateway start(Path directory, String policy, String setupSql, MaskingConfig masking)
            throws Exception {
        return start(directory, policy, setupSql, masking, Options.defaults());
    }

    /** As {@link #start(Path, String, String, MaskingConfig)}, with the given options. */
    public static DevGateway start(
            Path directory, String policy, String setupSql, MaskingConfig masking, Options options) throws Exception {
        return start(
                directory,
                () -> OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), policy)),
                setupSql,
                masking,
                options);
    }

    /**
     * As {@link #start(Path, String, String, MaskingConfig, Options)}, with OPA serving the policy as a bundle of
     * revision {@code revision} (its {@code .manifest}), which OPA names in each answer's provenance, and logging its
     * decisions (so every answer has a decision id).
     */
    public static DevGateway startWithBundle(
            Path directory, String policy, String revision, String setupSql, MaskingConfig masking, Options options)
            throws Exception {
        Path bundle = Files.createDirectories(directory.resolve("bundle"));
        Files.writeString(bundle.resolve("policy.rego"), policy);
        Files.writeString(bundle.resolve(".manifest"), "{\"revision\": \"" + revision + "\"}");
        return start(
                directory,
                () -> OpaProcess.start(List.of("--set", "decision_logs.console=true", "--bundle"), bundle),
                setupSql,
                masking,
                options);
    }

    private interface OpaStart {
        OpaProcess start() throws Exception;
    }

    private static DevGateway start(
            Path directory, OpaStart opaStart, String setupSql, MaskingConfig masking, Options options)
            throws Exception {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            MariaDbServer mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
            parts.add(mariadb);
            mariadb.sql("CREATE USER 'svc'@'%' IDENTIFIED BY '" + SERVICE_PASSWORD + "'; GRANT ALL ON *.* TO 'svc'@'%';"
                    + setupSql);
            OpaProcess opa = opaStart.start();
            parts.add(opa);
            return start(
                    directory,
                    opa,
                    TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", SERVICE_PASSWORD),
                    masking,
                    options,
                    parts);
        } catch (Exception | Error failed) {
            closeAll(parts);
            throw failed;
        }
    }

    private static DevGateway start(
            Path directory,
            OpaProcess opa,
            TargetConfig target,
            MaskingConfig masking,
            Options options,
            List<AutoCloseable> parts)
            throws Exception {
        Path key = directory.resolve("dev-issuer.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        DevIssuer issuer = DevIssuer.fromKeyFile(key, Clock.systemUTC());
        String token = issuer.mint("agent-7", "agentgate", Duration.ofMinutes(10), Map.of());
        TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
        int port = FreePorts.next();
        PolicyConfig policy = TestGatewayConfig.patientPolicy(opa.url(), masking);
        GatewayServer server = GatewayServer.start(
                GatewayConfig.builder()
                        .devMode(true)
                        .listen(TestGatewayConfig.listen(
                                port,
                                options.idleTimeout(),
                                ListenConfig.defaults().shutdownGrace()))
                        .tls(new TlsConfig(certificates.serverCertificate(), certificates.serverKey(), false))
                        .identity(new IdentityConfig(
                                IdentityConfig.DEFAULT_CLOCK_SKEW,
                                List.of(),
                                new DevIssuerConfig(key, List.of("agentgate"))))
                        .policy(policy)
                        .target(target)
                        .recording(options.recording())
                        .state(StateConfig.sqlite(directory.resolve("state.db")))
                        .build(),
                options.sessionEvents());
        parts.add(server::shutdownGracefully);
        return new DevGateway(parts, port, token, issuer, server);
    }

    /** A Connector/J connection through the gateway to the target, in {@code database}, over TLS. */
    /** The gateway itself, e.g. to reload its configuration. */
    public GatewayServer server() {
        return server;
    }

    public Connection connect(String target, String database) throws SQLException {
        return connect(target, database, Map.of());
    }

    /** @param options more Connector/J properties, e.g. {@code useServerPrepStmts} */
    public Connection connect(String target, String database, Map<String, String> options) throws SQLException {
        return connect(target, database, options, token);
    }

    /** @param withToken the token to log in with ({@link #mint}) */
    public Connection connect(String target, String database, Map<String, String> options, String withToken)
            throws SQLException {
        Properties properties = new Properties();
        properties.putAll(options);
        properties.setProperty("user", target);
        properties.setProperty("password", withToken);
        properties.setProperty("sslMode", "REQUIRED");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database, properties);
    }

    /** A MariaDB Connector/J connection (it pipelines a PREPARE and its first EXECUTE), in {@code database}. */
    public Connection connectWithMariaDbDriver(String target, String database, Map<String, String> options)
            throws SQLException {
        Properties properties = new Properties();
        properties.putAll(options);
        properties.setProperty("user", target);
        properties.setProperty("password", token);
        return DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?sslMode=trust", properties);
    }

    /** A token of the gateway's dev issuer for the same agent, valid for {@code lifetime}. */
    public String mint(Duration lifetime) {
        return issuer.mint("agent-7", "agentgate", lifetime, Map.of());
    }

    /** Runs {@code statements} as root on the target's MariaDB, not through the gateway; what the CLI printed. */
    public String sqlAsRoot(String statements) throws Exception {
        for (AutoCloseable part : parts) {
            if (part instanceof MariaDbServer mariadb) {
                return mariadb.sql(statements);
            }
        }
        throw new IllegalStateException("this gateway has no MariaDB of its own");
    }

    /** Shuts the gateway down as its operator would (its sessions end); {@link #close} still stops the rest. */
    public void shutDownGateway() {
        server.shutdownGracefully();
    }

    /** The gateway's live sessions. */
    public SessionRegistry sessions() {
        return server.registry();
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    /** Stops the parts in the reverse order of their start. */
    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception ignored) {
                // stopping test processes: nothing to recover
            }
        }
    }
}
