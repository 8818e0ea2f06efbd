package dev.agentgate.approval;

import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.recording.LocalSegments;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.TestCertificates;
import dev.agentgate.testing.TestGatewayConfig;
import dev.agentgate.transport.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * A real gateway for just-in-time logins: a real MariaDB target ({@code appdb}, database {@code shop}), a real OPA
 * with the test's policy, an SQLite state database, the admin listener (the approvals API) and session recording.
 */
final class JitLoginGateway implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final MariaDbServer mariadb;
    private final OpaProcess opa;
    private final GatewayServer server;
    private final DevIssuer issuer;
    private final Path recordings;

    private JitLoginGateway(
            MariaDbServer mariadb, OpaProcess opa, GatewayServer server, DevIssuer issuer, Path recordings) {
        this.mariadb = mariadb;
        this.opa = opa;
        this.server = server;
        this.issuer = issuer;
        this.recordings = recordings;
    }

    static JitLoginGateway start(Path directory, String rego) throws Exception {
        MariaDbServer mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        mariadb.sql("CREATE DATABASE shop; CREATE USER 'svc'@'%' IDENTIFIED BY 'svc-secret';"
                + " GRANT ALL ON *.* TO 'svc'@'%';");
        OpaProcess opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), rego));
        Path key = directory.resolve("dev-issuer.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        TestCertificates certificates = TestCertificates.create(directory, "test", "localhost");
        Path recordings = directory.resolve("recordings");
        GatewayServer server = GatewayServer.start(
                TestGatewayConfig.devGateway(certificates, key)
                        .policy(TestGatewayConfig.patientPolicy(opa.url(), MaskingConfig.NONE))
                        .admin(AdminConfig.enabledOn("127.0.0.1", FreePorts.next()))
                        .state(StateConfig.sqlite(directory.resolve("state.db")))
                        .approval(ApprovalConfig.defaults())
                        .recording(RecordingConfig.inDirectory(recordings))
                        .target(TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", "svc-secret"))
                        .build(),
                List.of(),
                new LoggingNotifier());
        server.approvals().pending().join(); // migrates the state database before the first test
        return new JitLoginGateway(mariadb, opa, server, DevIssuer.fromKeyFile(key, Clock.systemUTC()), recordings);
    }

    /** A token of the dev issuer for {@code subject}: agents log in with it, approvers call the API with it. */
    String token(String subject) {
        return issuer.mint(subject, "agentgate", Duration.ofMinutes(10), Map.of("groups", List.of()));
    }

    /** A Connector/J connection as {@code subject} to target {@code appdb}, database {@code shop}. */
    Connection connect(String subject) throws SQLException {
        return connect(subject, "shop");
    }

    /** A Connector/J connection as {@code subject} to target {@code appdb}, starting in {@code database}. */
    Connection connect(String subject, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "appdb");
        properties.setProperty("password", token(subject));
        properties.setProperty("sslMode", "REQUIRED");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/" + database, properties);
    }

    ApprovalDecisions approvals() {
        return server.approvals();
    }

    /** {@code POST /approvals/<id>/approve} on the admin listener with {@code approver}'s token: status and body. */
    HttpResponse<String> approveThroughApi(String requestId, String approver) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminPort() + "/approvals/" + requestId + "/approve"))
                .header("Authorization", "Bearer " + token(approver))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The recordings of every session so far. */
    List<RecordedSession> recordedSessions() throws Exception {
        RecordingReader reader = new RecordingReader(new LocalSegments(recordings));
        List<RecordedSession> sessions = new ArrayList<>();
        for (String id : reader.sessionIds()) {
            sessions.add(reader.read(id));
        }
        return sessions;
    }

    @Override
    public void close() {
        server.shutdownGracefully();
        opa.close();
        mariadb.close();
    }
}
