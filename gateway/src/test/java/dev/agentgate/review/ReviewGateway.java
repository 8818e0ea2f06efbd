package dev.agentgate.review;

import dev.agentgate.audit.JsonLinesAuditSink;
import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.config.AuditConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.ReviewConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.recording.LocalSegments;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.TestCertificates;
import dev.agentgate.testing.TestGatewayConfig;
import dev.agentgate.transport.GatewayServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A real gateway whose sessions are recorded, for the tests of reviewing them: a real MariaDB target ({@code appdb},
 * database {@code shop} with table {@code orders}), a real OPA that denies DELETE and allows the rest, an SQLite
 * state database, the SIEM export in {@code audit.jsonl}, and the admin listener with the review routes (auditors
 * {@code alice}, {@code dana} and group {@code auditors}; {@link #ADMIN_KEY}).
 */
public final class ReviewGateway implements AutoCloseable {
    public static final String ADMIN_KEY = "review-test-admin-key-0123456789abcdef";
    public static final String LINK_KEY = "review-test-link-key-0123456789abcdefgh";

    private static final String SETUP = "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT, name VARCHAR(20));"
            + " INSERT INTO shop.orders VALUES (1, 'ada'), (2, NULL);"
            + " CREATE USER 'svc'@'%' IDENTIFIED BY 'svc-secret'; GRANT ALL ON *.* TO 'svc'@'%';";
    private static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {"action": "deny", "reason": "test: no DELETE"} if input.statement.type == "delete"
            """;
    // Connector/J would wire itself to the OpenTelemetry that Selenium brings onto the test class path.
    private static final String NO_TELEMETRY = "disabled";

    private final Path directory;
    private final MariaDbServer mariadb;
    private final OpaProcess opa;
    private final JsonLinesAuditSink audit;
    private final GatewayServer server;
    private final DevIssuer issuer;

    private ReviewGateway(
            Path directory,
            MariaDbServer mariadb,
            OpaProcess opa,
            JsonLinesAuditSink audit,
            GatewayServer server,
            DevIssuer issuer) {
        this.directory = directory;
        this.mariadb = mariadb;
        this.opa = opa;
        this.audit = audit;
        this.server = server;
        this.issuer = issuer;
    }

    /**
     * @param sso the company issuer the sessions page signs in with, empty for the admin key only
     * @param adminPort the admin listener's port (the sign-in callback names it)
     */
    public static ReviewGateway start(Path directory, Optional<ApprovalSsoConfig> sso, int adminPort) throws Exception {
        MariaDbServer mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        mariadb.sql(SETUP);
        OpaProcess opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), REGO));
        Path key = directory.resolve("dev-issuer.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
        JsonLinesAuditSink audit =
                JsonLinesAuditSink.open(directory.resolve("audit.jsonl").toString());
        GatewayServer server = GatewayServer.start(
                TestGatewayConfig.devGateway(certificates, key)
                        .policy(TestGatewayConfig.patientPolicy(opa.url(), MaskingConfig.NONE))
                        .admin(AdminConfig.enabledOn("127.0.0.1", adminPort))
                        .state(StateConfig.sqlite(directory.resolve("state.db")))
                        .recording(RecordingConfig.inDirectory(directory.resolve("recordings")))
                        .audit(new AuditConfig(directory.resolve("audit.jsonl").toString()))
                        .approvalChannels(new ApprovalChannelsConfig(Optional.empty(), sso.map(on -> LINK_KEY), sso))
                        .review(new ReviewConfig(List.of("alice", "dana"), List.of("auditors"), Optional.of(ADMIN_KEY)))
                        .target(TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", "svc-secret"))
                        .build(),
                List.of(audit));
        return new ReviewGateway(directory, mariadb, opa, audit, server, DevIssuer.fromKeyFile(key, Clock.systemUTC()));
    }

    /** A token of the gateway's trusted (dev) issuer for {@code subject} in {@code groups}. */
    public String token(String subject, List<String> groups) {
        return issuer.mint(subject, "agentgate", Duration.ofMinutes(10), Map.of("groups", groups));
    }

    /**
     * Runs {@code statements} in one session of agent {@code subject} (a refused one goes on to the next) and waits
     * until its recording holds the session's end.
     *
     * @return the recorded session's id
     */
    public String session(String subject, String... statements) throws Exception {
        Set<String> before = new HashSet<>(reader().sessionIds());
        Properties properties = new Properties();
        properties.setProperty("user", "appdb");
        properties.setProperty("password", token(subject, List.of()));
        properties.setProperty("sslMode", "REQUIRED");
        properties.setProperty("openTelemetry", NO_TELEMETRY);
        try (Connection connection =
                        DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/shop", properties);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException refused) {
                    // recorded as the client received it: the test reads it back from the recording
                }
            }
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (String id : reader().sessionIds()) {
                RecordedSession session = reader().read(id);
                if (!before.contains(id) && session.end().isPresent()) {
                    return id;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the session of " + subject + " was not recorded to its end within 30 s");
    }

    public URI adminUrl() {
        return URI.create("http://127.0.0.1:" + server.adminPort());
    }

    public Path auditFile() {
        return directory.resolve("audit.jsonl");
    }

    /**
     * A config file of this gateway as the CLI reads it: its recordings, state database and SIEM export (the
     * target's address is not used by the sessions commands).
     */
    public Path configFile() throws java.io.IOException {
        return Files.writeString(
                directory.resolve("agentgate.yaml"),
                "identity:\n  issuers:\n    - issuer: https://issuer.example.com\n      audiences: [agentgate]\n"
                        + "targets:\n  appdb:\n    host: db.internal\n    user: svc\n    password: secret\n"
                        + "recording:\n  dir: " + directory.resolve("recordings") + "\n"
                        + "state:\n  url: jdbc:sqlite:" + directory.resolve("state.db") + "\n"
                        + "audit:\n  jsonl: " + auditFile() + "\n");
    }

    private RecordingReader reader() {
        return new RecordingReader(new LocalSegments(directory.resolve("recordings")));
    }

    @Override
    public void close() {
        server.shutdownGracefully();
        audit.close();
        opa.close();
        mariadb.close();
    }
}
