package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static dev.agentgate.approval.ApprovalGatewayFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hold mode over a real MariaDB target, a real OPA and an SQLite state database: the client's statement waits until
 * people decide, and then runs or is refused.
 */
@Tag("integration")
class HoldModeTest {

    @TempDir
    static Path directory;

    private static MariaDbServer mariadb;
    private static OpaProcess opa;
    private static ApprovalGatewayFixture gateway;
    private static final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        ApprovalGatewayFixture.createServiceAccount(mariadb);
        mariadb.sql(ApprovalPolicies.SETUP);
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), ApprovalPolicies.REGO));
        gateway = ApprovalGatewayFixture.start(
                directory.resolve("gateway"),
                mariadb,
                opa,
                StateConfig.sqlite(directory.resolve("state.db")),
                ApprovalConfig.defaults(),
                new LoggingNotifier());
        gateway.approvals().pending().join(); // connects and migrates the state database before the first test
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        if (opa != null) {
            opa.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @AfterEach
    void noneLeftPending() {
        gateway.denyAllPending();
    }

    @BeforeEach
    void rows() throws Exception {
        mariadb.sql("DELETE FROM shop.orders; INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b'), (3, 'c');"
                + " DELETE FROM shop.pairs; INSERT INTO shop.pairs VALUES (1); DELETE FROM shop.scratch;"
                + " INSERT INTO shop.scratch VALUES (1);");
    }

    private CompletableFuture<Integer> update(String subject, String sql) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Connection connection = gateway.connect(subject);
                            Statement statement = connection.createStatement()) {
                        return statement.executeUpdate(sql);
                    } catch (SQLException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                clients);
    }

    @Test
    void aHeldStatementRunsOnceApproved() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM orders WHERE id = 1");
        ApprovalRecord pending = gateway.onlyPending();

        assertThat(pending.request().statement()).isEqualTo("DELETE FROM orders WHERE id = 1");
        assertThat(pending.request().requester().subject()).isEqualTo("agent-7");
        assertThat(pending.request().estimatedRows()).isEqualTo(1L);
        assertThat(delete).isNotDone();
        DecideResult result = vote(pending.request().id(), "alice", Verdict.APPROVE);

        assertThat(result).isInstanceOf(DecideResult.Decided.class);
        assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.orders")).isEqualTo("2");
    }

    @Test
    void aDeniedStatementIsRefusedNamingWhoDeniedIt() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM orders WHERE id = 2");
        ApprovalRecord pending = gateway.onlyPending();

        vote(pending.request().id(), "alice", Verdict.DENY);

        assertThatThrownBy(() -> delete.get(40, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause()
                .hasMessageContaining("request " + pending.request().id() + " was denied by agentgate-dev|alice");
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.orders")).isEqualTo("3");
    }

    @Test
    void aRequestNobodyDecidesExpiresAndItsStatementIsRefused() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM scratch");

        assertThatThrownBy(() -> delete.get(40, TimeUnit.SECONDS))
                .rootCause()
                .hasMessageContaining("expired at")
                .hasMessageContaining("without enough approvals; nothing was run");
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.scratch")).isEqualTo("1");
        assertThat(gateway.approvals().pending().join()).isEmpty();
    }

    @Test
    void aStatementNeedingTwoApprovalsWaitsForTheSecondApprover() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM pairs");
        String id = gateway.onlyPending().request().id();

        DecideResult first = vote(id, "alice", Verdict.APPROVE);
        DecideResult again = vote(id, "alice", Verdict.APPROVE);
        Thread.sleep(600);
        assertThat(delete).isNotDone();
        DecideResult second = vote(id, "carol", Verdict.APPROVE);

        assertThat(first)
                .isInstanceOfSatisfying(
                        DecideResult.Counted.class, c -> assertThat(c.missing()).isEqualTo(1));
        assertThat(again)
                .isInstanceOfSatisfying(
                        DecideResult.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(DecideResult.Reason.ALREADY_VOTED));
        assertThat(second).isInstanceOf(DecideResult.Decided.class);
        assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void oneDenyAfterOneApprovalOfARequestNeedingTwoEndsItDeniedNamingTheDenier() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM pairs");
        String id = gateway.onlyPending().request().id();

        DecideResult approval = vote(id, "alice", Verdict.APPROVE);
        DecideResult deny = vote(id, "carol", Verdict.DENY);

        assertThat(approval).isInstanceOf(DecideResult.Counted.class);
        assertThat(deny)
                .isInstanceOfSatisfying(
                        DecideResult.Decided.class,
                        d -> assertThat(d.outcome().state()).isEqualTo(ApprovalState.DENIED));
        assertThatThrownBy(() -> delete.get(40, TimeUnit.SECONDS))
                .rootCause()
                .hasMessageContaining("request " + id + " was denied by agentgate-dev|carol;");
        assertThat(gateway.approvals().find(id).join().orElseThrow().state()).isEqualTo(ApprovalState.DENIED);
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.pairs")).isEqualTo("1");
    }

    @Test
    void aSelectPipelinedBehindAHeldDeleteIsAnsweredOnlyAfterTheApprovedDeleteAndInOrder() throws Exception {
        try (PipeliningClient client =
                PipeliningClient.login(gateway.port(), "appdb", gateway.token("agent-7"), "shop")) {
            client.sendAtOnce("DELETE FROM orders WHERE id = 1", "SELECT COUNT(*) FROM orders");
            CompletableFuture<List<String>> answers = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return List.of(client.readAnswer(), client.readAnswer());
                        } catch (IOException e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    },
                    clients);
            String id = gateway.onlyPending().request().id();
            Thread.sleep(500);

            assertThat(client.bytesReceived())
                    .as("bytes answered while the DELETE waits")
                    .isZero();
            vote(id, "alice", Verdict.APPROVE);

            assertThat(answers.get(40, TimeUnit.SECONDS)).containsExactly("OK 1", "ROWS [[2]]");
            assertThat(client.bytesReceived()).as("the count sees the answers").isPositive();
        }
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() throws Exception {
        CompletableFuture<Integer> delete = update("bob", "DELETE FROM orders WHERE id = 3");
        String id = gateway.onlyPending().request().id();

        DecideResult own = vote(id, "bob", Verdict.APPROVE);

        assertThat(own)
                .isInstanceOfSatisfying(
                        DecideResult.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(DecideResult.Reason.OWN_REQUEST));
        assertThat(delete).isNotDone();
        vote(id, "alice", Verdict.DENY);
        assertThatThrownBy(() -> delete.get(40, TimeUnit.SECONDS)).rootCause().hasMessageContaining("denied");
    }

    @Test
    void someoneNotAmongTheApproversCannotApprove() throws Exception {
        CompletableFuture<Integer> delete = update("agent-7", "DELETE FROM orders WHERE id = 3");
        String id = gateway.onlyPending().request().id();

        DecideResult outsider = gateway.approvals()
                .decide(id, approver("mallory", "developers"), Verdict.APPROVE, "127.0.0.1")
                .join();
        DecideResult bobByName = gateway.approvals()
                .decide(id, approver("bob"), Verdict.APPROVE, "127.0.0.1")
                .join();

        assertThat(outsider)
                .isInstanceOfSatisfying(
                        DecideResult.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(DecideResult.Reason.NOT_AN_APPROVER));
        assertThat(bobByName).isInstanceOf(DecideResult.Decided.class);
        assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void twoSessionsWaitAtOnceAndEachRunsWhenItsOwnRequestIsApproved() throws Exception {
        CompletableFuture<Integer> first = update("agent-7", "DELETE FROM orders WHERE id = 1");
        CompletableFuture<Integer> second = update("agent-8", "DELETE FROM orders WHERE id = 2");
        awaitTrue(() -> gateway.approvals().pending().join().size() == 2, "two pending requests");
        ApprovalRecord ofSecond = gateway.approvals().pending().join().stream()
                .filter(r -> r.request().requester().subject().equals("agent-8"))
                .findFirst()
                .orElseThrow();

        vote(ofSecond.request().id(), "alice", Verdict.APPROVE);

        assertThat(second.get(40, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(first).isNotDone();
        String ofFirst = gateway.onlyPending().request().id();
        vote(ofFirst, "alice", Verdict.APPROVE);
        assertThat(first.get(40, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(mariadb.sql("SELECT id FROM shop.orders")).isEqualTo("3");
    }

    @Test
    void aClientThatDisconnectsWhileWaitingCancelsItsRequest() throws Exception {
        Connection connection = gateway.connect("agent-7");
        CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                () -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.executeUpdate("DELETE FROM orders WHERE id = 1");
                    } catch (SQLException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                clients);
        String id = gateway.onlyPending().request().id();

        connection.abort(clients);
        awaitTrue(() -> gateway.approvals().pending().join().isEmpty(), "the request to leave pending");

        ApprovalRecord record = gateway.approvals().find(id).join().orElseThrow();
        assertThat(record.state()).isEqualTo(ApprovalState.CANCELLED);
        DecideResult late = vote(id, "alice", Verdict.APPROVE);
        assertThat(late)
                .isInstanceOfSatisfying(
                        DecideResult.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(DecideResult.Reason.ALREADY_DECIDED));
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.orders")).isEqualTo("3");
        assertThat(delete).isCompletedExceptionally();
    }

    /** {@code subject} of group dba votes on request {@code id} through the approvals, from the loopback address. */
    private static DecideResult vote(String id, String subject, Verdict verdict) {
        return gateway.approvals()
                .decide(id, approver(subject, "dba"), verdict, "127.0.0.1")
                .join();
    }
}
