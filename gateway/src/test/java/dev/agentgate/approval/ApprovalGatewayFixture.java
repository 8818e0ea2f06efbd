package dev.agentgate.approval;

import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.TestCertificates;
import dev.agentgate.testing.TestGatewayConfig;
import dev.agentgate.transport.GatewayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * A gateway in process for approval tests: dev mode, TLS, the dev issuer, a real OPA and a real MariaDB target
 * ({@code appdb}, service account {@code svc}; the same server also as a second target {@code otherdb}), the state
 * database and approval settings of the test. Connections log in with tokens minted for any subject.
 */
final class ApprovalGatewayFixture implements AutoCloseable {

    static final String SERVICE_PASSWORD = "svc-secret";
    /** A second target on the same server: what a grant on {@code appdb} must not cover. */
    static final String OTHER_TARGET = "otherdb";

    private final GatewayServer server;
    private final DevIssuer issuer;

    private ApprovalGatewayFixture(GatewayServer server, DevIssuer issuer) {
        this.server = server;
        this.issuer = issuer;
    }

    /** Creates {@code svc} on the target, with all privileges. */
    static void createServiceAccount(MariaDbServer target) throws Exception {
        target.sql("CREATE USER IF NOT EXISTS 'svc'@'%' IDENTIFIED BY '" + SERVICE_PASSWORD
                + "'; GRANT ALL ON *.* TO 'svc'@'%';");
    }

    static ApprovalGatewayFixture start(
            Path directory,
            MariaDbServer target,
            OpaProcess opa,
            StateConfig state,
            ApprovalConfig approval,
            ApprovalNotifier notifier)
            throws Exception {
        return start(directory, target, opa, state, approval, notifier, List.of());
    }

    /** @param sessionEvents where every session's events go */
    static ApprovalGatewayFixture start(
            Path directory,
            MariaDbServer target,
            OpaProcess opa,
            StateConfig state,
            ApprovalConfig approval,
            ApprovalNotifier notifier,
            List<SessionEvents> sessionEvents)
            throws Exception {
        return start(directory, target, opa, state, approval, notifier, sessionEvents, AdminConfig.disabled());
    }

    /** @param admin the admin listener (health, the approvals API), off in most tests */
    static ApprovalGatewayFixture start(
            Path directory,
            MariaDbServer target,
            OpaProcess opa,
            StateConfig state,
            ApprovalConfig approval,
            ApprovalNotifier notifier,
            List<SessionEvents> sessionEvents,
            AdminConfig admin)
            throws Exception {
        Files.createDirectories(directory);
        Path key = directory.resolve("dev-issuer.jwk.json");
        if (!Files.exists(key)) {
            DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        }
        TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
        PolicyConfig policy = TestGatewayConfig.patientPolicy(opa.url(), MaskingConfig.NONE);
        GatewayServer server = GatewayServer.start(
                TestGatewayConfig.devGateway(certificates, key)
                        .policy(policy)
                        .state(state)
                        .approval(approval)
                        .admin(admin)
                        .instanceId("gw-" + FreePorts.next())
                        .target(TargetConfig.of("appdb", "127.0.0.1", target.port(), "svc", SERVICE_PASSWORD))
                        .target(TargetConfig.of(OTHER_TARGET, "127.0.0.1", target.port(), "svc", SERVICE_PASSWORD))
                        .build(),
                sessionEvents,
                notifier);
        return new ApprovalGatewayFixture(server, DevIssuer.fromKeyFile(key, Clock.systemUTC()));
    }

    /** A Connector/J connection as {@code subject}, in database {@code shop}. */
    Connection connect(String subject) throws SQLException {
        return connect(subject, "appdb");
    }

    /** A Connector/J connection as {@code subject} to target {@code targetName}, in database {@code shop}. */
    Connection connect(String subject, String targetName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", targetName);
        properties.setProperty("password", token(subject));
        properties.setProperty("sslMode", "REQUIRED");
        properties.setProperty("connectTimeout", "60000");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/shop", properties);
    }

    /** A token of the dev issuer for {@code subject}, valid for 10 minutes: the password clients log in with. */
    String token(String subject) {
        return issuer.mint(subject, "agentgate", Duration.ofMinutes(10), Map.of("groups", List.of()));
    }

    /** The port clients connect to. */
    int port() {
        return server.port();
    }

    /** The admin listener, when the gateway was started with one. */
    java.net.URI adminUrl() {
        return java.net.URI.create("http://127.0.0.1:" + server.adminPort());
    }

    ApprovalDecisions approvals() {
        return server.approvals();
    }

    /** The one request pending now, waiting up to 40 s for it to appear. */
    ApprovalRecord onlyPending() throws Exception {
        awaitTrue(() -> approvals().pending().join().size() == 1, "one pending request");
        return approvals().pending().join().get(0);
    }

    /** Denies whatever a failed test left pending, so that the next test starts with none. */
    void denyAllPending() {
        for (ApprovalRecord left : approvals().pending().join()) {
            approvals()
                    .decide(left.request().id(), approver("cleanup", "dba"), Verdict.DENY, "test")
                    .join();
        }
    }

    static Approver approver(String subject, String... groups) {
        return new Approver(DevIssuer.ISSUER, subject, List.of(groups), Approver.Via.API);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.shutdownGracefully();
    }
}
