package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static dev.agentgate.approval.ApprovalGatewayFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.config.AdminConfig;
import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet replica whose shared state database (a real MariaDB of its own) is killed while the gateway runs, and
 * started again: what needs the state refuses at once, saying why; held statements end by their expiry; votes are
 * refused; readiness follows the database; sessions already open carry on; and all works again once it is back.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalStateLostTest {

    /** The shipped test policy, and deletes from {@code slow} held for a few seconds only. */
    private static final String REGO = ApprovalPolicies.REGO + """

            decision := approval({"approvers": ["dba"], "mode": "hold", "timeout_s": 4}) if {
            	input.statement.type == "delete"
            	deleted == {"slow"}
            }
            """;

    /** What a refusal may take while the database is down: the pool's connection timeout (2 s), and some slack. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(5);

    @TempDir
    static Path directory;

    private MariaDbServer target;
    private MariaDbServer stateServer;
    private OpaProcess opa;
    private ApprovalGatewayFixture gateway;
    private boolean stateDown;
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        target = MariaDbServer.start(Files.createDirectories(directory.resolve("target")));
        ApprovalGatewayFixture.createServiceAccount(target);
        target.sql(ApprovalPolicies.SETUP + " CREATE TABLE shop.slow (id INT PRIMARY KEY);");
        stateServer = MariaDbServer.start(Files.createDirectories(directory.resolve("state")));
        stateServer.sql("CREATE DATABASE agentgate_state; CREATE USER 'gw'@'%' IDENTIFIED BY 'gw-secret';"
                + " GRANT ALL ON agentgate_state.* TO 'gw'@'%';");
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), REGO));
        gateway = ApprovalGatewayFixture.start(
                directory.resolve("gateway"),
                target,
                opa,
                new StateConfig(
                        "jdbc:mariadb://127.0.0.1:" + stateServer.port() + "/agentgate_state", "gw", "gw-secret", 2),
                ApprovalConfig.defaults(),
                new LoggingNotifier(),
                List.of(),
                AdminConfig.enabledOn("127.0.0.1", 0));
        gateway.approvals().pending().join();
    }

    @AfterAll
    void stop() {
        clients.shutdownNow();
        for (AutoCloseable part : new AutoCloseable[] {gateway, opa, stateServer, target}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // stopping test processes
            }
        }
    }

    @BeforeEach
    void rows() throws Exception {
        target.sql("DELETE FROM shop.orders; INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b'), (3, 'c');"
                + " DELETE FROM shop.slow; INSERT INTO shop.slow VALUES (1);");
    }

    @AfterEach
    void stateBackAndNonePending() throws Exception {
        bringStateBack();
        gateway.denyAllPending();
    }

    @Test
    void aStatementToHoldIsRefusedWithinSecondsWhileTheStateDatabaseIsDown() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            loseState();

            Instant from = Instant.now();
            Throwable refusal = failure(run(connection, "DELETE FROM orders WHERE id = 1"));

            assertThat(Duration.between(from, Instant.now())).isLessThan(REFUSED_WITHIN);
            assertThat(refusal)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("the approval state database is unavailable")
                    .hasMessageContaining("the statement was not run");
            assertThat(target.sql("SELECT COUNT(*) FROM shop.orders")).isEqualTo("3");
        }
    }

    @Test
    void aStatementToHoldIsRefusedWithinSecondsWhileTheStateDatabaseDoesNotAnswer() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            stateServer.freeze();
            try {
                Instant from = Instant.now();
                Throwable refusal = failure(run(connection, "DELETE FROM orders WHERE id = 1"));

                assertThat(Duration.between(from, Instant.now())).isLessThan(REFUSED_WITHIN);
                assertThat(refusal).hasMessageContaining("the approval state database is unavailable");
            } finally {
                stateServer.thaw();
            }
        }
    }

    @Test
    void aStatementForATicketIsRefusedWithinSecondsWhileTheStateDatabaseIsDown() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            loseState();

            Instant from = Instant.now();
            Throwable refusal = failure(run(connection, "DELETE FROM audit"));

            assertThat(Duration.between(from, Instant.now())).isLessThan(REFUSED_WITHIN);
            assertThat(refusal)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("the approval state database is unavailable")
                    .hasMessageNotContaining("Request ");
        }
    }

    @Test
    void aSessionWhoseStatementWasRefusedForWantOfStateGoesOnServingStatementsThatNeedNoApproval() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            loseState();
            failure(run(connection, "DELETE FROM orders WHERE id = 1"));

            assertThat(count(connection, "SELECT COUNT(*) FROM orders")).isEqualTo(3);
        }
    }

    @Test
    void newSessionsAreLetInAndServedWhileTheStateDatabaseIsDown() throws Exception {
        loseState();

        try (Connection connection = gateway.connect("agent-8")) {
            assertThat(count(connection, "SELECT COUNT(*) FROM orders")).isEqualTo(3);
        }
    }

    @Test
    void aHeldStatementWhoseStateDatabaseIsLostIsRefusedAtItsExpirySayingSo() throws Exception {
        Connection connection = gateway.connect("agent-7");
        CompletableFuture<Integer> delete = run(connection, "DELETE FROM slow");
        ApprovalRequest request = pendingFor("DELETE FROM slow").request();
        loseState();

        Throwable refusal = failure(delete, request.timeout().plusSeconds(10));

        assertThat(Instant.now()).isAfterOrEqualTo(request.expiresAt());
        assertThat(refusal)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("request " + request.id() + " expired at ")
                .hasMessageContaining("while the approval state database was unavailable")
                .hasMessageContaining("nothing was run");
        assertThat(target.sql("SELECT COUNT(*) FROM shop.slow")).isEqualTo("1");
        connection.close();
    }

    @Test
    void aRequestThatExpiredWhileTheStateDatabaseWasDownIsRecordedExpiredOnceItIsBack() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            CompletableFuture<Integer> delete = run(connection, "DELETE FROM slow");
            String id = pendingFor("DELETE FROM slow").request().id();
            loseState();
            failure(delete, Duration.ofSeconds(15));

            bringStateBack();

            awaitTrue(
                    () -> gateway.approvals().find(id).join().orElseThrow().state() == ApprovalState.EXPIRED,
                    "the request to be recorded expired");
        }
    }

    @Test
    void aHeldStatementRunsWhenTheStateDatabaseIsBackBeforeItsExpiryAndItIsApproved() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            CompletableFuture<Integer> delete = run(connection, "DELETE FROM orders WHERE id = 2");
            String id = pendingFor("DELETE FROM orders WHERE id = 2").request().id();
            loseState();
            Thread.sleep(3_000); // polls for its decision fail meanwhile
            assertThat(delete).isNotDone();

            bringStateBack();
            DecideResult approval = gateway.approvals()
                    .decide(id, approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                    .join();

            assertThat(approval).isInstanceOf(DecideResult.Decided.class);
            assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(target.sql("SELECT COUNT(*) FROM shop.orders WHERE id = 2"))
                    .isEqualTo("0");
        }
    }

    @Test
    void aVoteThroughTheApprovalsApiWhileTheStateDatabaseIsDownIsRefusedWith503AndNotCounted() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            CompletableFuture<Integer> delete = run(connection, "DELETE FROM orders WHERE id = 3");
            String id = pendingFor("DELETE FROM orders WHERE id = 3").request().id();
            loseState();

            HttpResponse<String> vote = http.send(
                    HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/approvals/" + id + "/approve"))
                            .header("Authorization", "Bearer " + gateway.token("bob"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(vote.statusCode()).isEqualTo(503);
            assertThat(vote.body())
                    .contains("\"code\":\"unavailable\"")
                    .contains("the approval state database is unavailable; the vote was not counted");
            bringStateBack();
            ApprovalRecord record = gateway.approvals().find(id).join().orElseThrow();
            assertThat(record.state()).isEqualTo(ApprovalState.PENDING);
            assertThat(record.votes()).isEmpty();
            assertThat(delete).isNotDone();
        }
    }

    @Test
    void readinessSaysTheStateDatabaseIsNotReadyWhileItIsDownAndReadyOnceItIsBack() throws Exception {
        assertThat(stateCheck()).isEqualTo(true);

        loseState();
        HttpResponse<String> down = ready();
        boolean stateOkWhileDown = stateCheck(down);
        bringStateBack();

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(stateOkWhileDown).isFalse();
        awaitTrue(() -> stateCheck(), "the state database to be ready again");
    }

    @Test
    void theFirstStatementToHoldOnceTheStateDatabaseIsBackIsHeldWithoutARestartOfTheGateway() throws Exception {
        try (Connection connection = gateway.connect("agent-7")) {
            loseState();
            failure(run(connection, "DELETE FROM orders WHERE id = 1"));
            bringStateBack();

            CompletableFuture<Integer> delete = run(connection, "DELETE FROM orders WHERE id = 1");
            String id = pendingFor("DELETE FROM orders WHERE id = 1").request().id();
            gateway.approvals()
                    .decide(id, approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                    .join();

            assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    private void loseState() throws InterruptedException {
        stateServer.kill();
        stateDown = true;
    }

    private void bringStateBack() throws Exception {
        if (stateDown) {
            stateServer.startAgain();
            stateDown = false;
        }
    }

    private CompletableFuture<Integer> run(Connection connection, String sql) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.executeUpdate(sql);
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                },
                clients);
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Why {@code statement} failed, waiting a little longer than a refusal may take (a hang fails the test). */
    private static Throwable failure(CompletableFuture<Integer> statement) throws Exception {
        return failure(statement, REFUSED_WITHIN.plusSeconds(10));
    }

    private static Throwable failure(CompletableFuture<Integer> statement, Duration within) throws Exception {
        try {
            Integer rows = statement.get(within.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the statement ran (" + rows + " rows) instead of being refused");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** The pending request of {@code statement}, once it is stored (waiting up to 40 s). */
    private ApprovalRecord pendingFor(String statement) throws Exception {
        awaitTrue(() -> openFor(statement).isPresent(), "a pending request for " + statement);
        return openFor(statement).orElseThrow();
    }

    /** Not one an earlier test left pending (expired while the database was down, not recorded so yet). */
    private Optional<ApprovalRecord> openFor(String statement) {
        return gateway.approvals().pending().join().stream()
                .filter(r -> r.request().statement().equals(statement))
                .filter(r -> r.request().expiresAt().isAfter(Instant.now()))
                .findFirst();
    }

    /** Whether readiness says the state database is ready (the test's OPA, serving no bundle, never is). */
    private boolean stateCheck() {
        return stateCheck(ready());
    }

    private static boolean stateCheck(HttpResponse<String> readiness) {
        try {
            return new ObjectMapper()
                    .readTree(readiness.body())
                    .path("checks")
                    .path("state")
                    .path("ok")
                    .asBoolean();
        } catch (java.io.IOException e) {
            throw new AssertionError("readiness answered no JSON: " + readiness.body(), e);
        }
    }

    private HttpResponse<String> ready() {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/health/ready"))
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("readiness did not answer", e);
        }
    }
}
