package dev.agentgate.approval;

import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.FreePorts;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A real gateway for tests of the approval channels: a real MariaDB target ({@code appdb}, database {@code shop}),
 * a real OPA whose policy sends {@code DROP TABLE} for approval by {@code dana} (hold mode, 30 s), an SQLite
 * state database, the admin listener on, and the channel config of the test (Slack, the approval page).
 */
public final class ChannelsGateway implements AutoCloseable {
    public static final String SETUP =
            "CREATE DATABASE IF NOT EXISTS shop; CREATE USER IF NOT EXISTS 'svc'@'%' IDENTIFIED BY 'svc-secret';"
                    + " GRANT ALL ON *.* TO 'svc'@'%';";
    // Connector/J would wire itself to the OpenTelemetry that Selenium brings onto the test class path.
    private static final String NO_TELEMETRY = "disabled";

    static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {
            	"action": "require_approval",
            	"reason": "destructive: DROP TABLE needs approval",
            	"approval": {"approvers": ["dana"], "mode": "hold", "timeout_s": 30, "channel": "slack:#db-approvals"},
            } if input.statement.type == "drop_table"
            """;

    private final MariaDbServer mariadb;
    private final OpaProcess opa;
    private final GatewayServer server;
    private final DevIssuer issuer;

    private ChannelsGateway(MariaDbServer mariadb, OpaProcess opa, GatewayServer server, DevIssuer issuer) {
        this.mariadb = mariadb;
        this.opa = opa;
        this.server = server;
        this.issuer = issuer;
    }

    public static ChannelsGateway start(Path directory, ApprovalChannelsConfig channels) throws Exception {
        return start(directory, channels, FreePorts.next());
    }

    /** @param adminPort the admin listener's port, when the channel config must name it (sign-in callback) */
    public static ChannelsGateway start(Path directory, ApprovalChannelsConfig channels, int adminPort)
            throws Exception {
        MariaDbServer mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        mariadb.sql(SETUP);
        OpaProcess opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), REGO));
        Path key = directory.resolve("dev-issuer.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
        GatewayServer server = GatewayServer.start(TestGatewayConfig.devGateway(certificates, key)
                .policy(TestGatewayConfig.patientPolicy(opa.url(), MaskingConfig.NONE))
                .admin(AdminConfig.enabledOn("127.0.0.1", adminPort))
                .state(StateConfig.sqlite(directory.resolve("state.db")))
                .approval(ApprovalConfig.defaults())
                .approvalChannels(channels)
                .target(TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", "svc-secret"))
                .build());
        server.approvals().pending().join(); // migrates the state database before the first test
        return new ChannelsGateway(mariadb, opa, server, DevIssuer.fromKeyFile(key, Clock.systemUTC()));
    }

    /** The admin listener, where Slack, browsers and the CLI reach the gateway. */
    public URI adminUrl() {
        return URI.create("http://127.0.0.1:" + server.adminPort());
    }

    public ApprovalDecisions approvals() {
        return server.approvals();
    }

    public MariaDbServer mariadb() {
        return mariadb;
    }

    /** A token of the dev issuer for {@code subject}: agents log in with it, approvers call the API with it. */
    public String token(String subject) {
        return issuer.mint(subject, "agentgate", Duration.ofMinutes(10), Map.of("groups", List.of()));
    }

    /** Runs {@code sql} as agent {@code subject} on a client thread; it completes when the gateway answers. */
    public CompletableFuture<Void> execute(String subject, String sql) {
        return CompletableFuture.runAsync(() -> {
            Properties properties = new Properties();
            properties.setProperty("user", "appdb");
            properties.setProperty("password", token(subject));
            properties.setProperty("sslMode", "REQUIRED");
            properties.setProperty("openTelemetry", NO_TELEMETRY);
            try (Connection connection = DriverManager.getConnection(
                            "jdbc:mysql://127.0.0.1:" + server.port() + "/shop", properties);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * The pending request whose statement mentions {@code table}, waiting up to 40 s for it while {@code statement}
     * (the client's) is still waiting.
     */
    public ApprovalRecord pendingFor(String table, CompletableFuture<Void> statement) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(deadline)) {
            if (statement.isDone()) {
                throw new AssertionError("the statement on " + table + " ended without waiting for approval: "
                        + statement
                                .handle((ok, failure) -> String.valueOf(failure))
                                .join());
            }
            for (ApprovalRecord pending : approvals().pending().join()) {
                if (pending.request().statement().contains(table)) {
                    return pending;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no pending approval request for " + table + " within 40 s");
    }

    @Override
    public void close() {
        server.shutdownGracefully();
        opa.close();
        mariadb.close();
    }
}
