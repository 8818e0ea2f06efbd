package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ticket mode over a real MariaDB target, a real OPA and an SQLite state database file: refused at once with a
 * ticket, run once when sent again after approval, also across a restart of the gateway.
 */
@Tag("integration")
class TicketModeTest {

    @TempDir
    static Path directory;

    private static MariaDbServer mariadb;
    private static OpaProcess opa;

    @BeforeAll
    static void start() throws Exception {
        mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        ApprovalGatewayFixture.createServiceAccount(mariadb);
        mariadb.sql(ApprovalPolicies.SETUP + " INSERT INTO shop.audit VALUES (1), (2), (3);");
        mariadb.sql("CREATE TABLE shop.brief (id INT PRIMARY KEY); INSERT INTO shop.brief VALUES (1);"
                + " CREATE TABLE shop.twice (id INT PRIMARY KEY, n INT); INSERT INTO shop.twice VALUES (1, 0);"
                + " CREATE TABLE shop.customers (id INT PRIMARY KEY, email TEXT);"
                + " INSERT INTO shop.customers VALUES (1, 'ann@example.com');");
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), ApprovalPolicies.REGO));
    }

    @AfterAll
    static void stop() {
        if (opa != null) {
            opa.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    private static ApprovalGatewayFixture gateway(ApprovalNotifier notifier) throws Exception {
        return ApprovalGatewayFixture.start(
                directory.resolve("gateway"),
                mariadb,
                opa,
                StateConfig.sqlite(directory.resolve("state.db")),
                ApprovalConfig.defaults(),
                notifier);
    }

    private static int run(ApprovalGatewayFixture gateway, String sql) throws SQLException {
        return run(gateway, "agent-7", "appdb", sql);
    }

    private static int run(ApprovalGatewayFixture gateway, String subject, String target, String sql)
            throws SQLException {
        try (Connection connection = gateway.connect(subject, target);
                Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /** Asks for approval of {@code sql} as agent-7 on appdb (refused with a ticket), and approves it. */
    private static ApprovalRecord approvedTicket(ApprovalGatewayFixture gateway, String sql) throws Exception {
        assertThatThrownBy(() -> run(gateway, sql)).hasMessageContaining("Approval required by agentgate");
        ApprovalRecord pending = gateway.onlyPending();
        DecideResult approved = gateway.approvals()
                .decide(pending.request().id(), approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                .join();
        assertThat(approved).isInstanceOf(DecideResult.Decided.class);
        return pending;
    }

    @Test
    void aTicketGrantRunsTheIdenticalStatementOnceAfterApprovalAlsoAcrossARestart() throws Exception {
        String id;
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            assertThatThrownBy(() -> run(gateway, "DELETE FROM audit WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Approval required by agentgate: test: deletes need approval. Request apr-")
                    .hasMessageContaining("was sent to test:#approvals (approvers: dba); it stays open 60 s")
                    .hasMessageContaining("Run the identical statement again after approval");
            id = gateway.onlyPending().request().id();
            assertThatThrownBy(() -> run(gateway, "DELETE FROM audit WHERE id = 1"))
                    .hasMessageContaining("Request " + id + " is already waiting");
        }
        try (ApprovalGatewayFixture restarted = gateway(new LoggingNotifier())) {
            DecideResult approved = restarted
                    .approvals()
                    .decide(id, approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                    .join();
            assertThat(approved).isInstanceOf(DecideResult.Decided.class);

            assertThat(run(restarted, "DELETE FROM audit WHERE id = 1")).isEqualTo(1);
            assertThatThrownBy(() -> run(restarted, "DELETE FROM audit WHERE id = 1"))
                    .hasMessageContaining("Approval required by agentgate");
            assertThat(restarted.approvals().pending().join())
                    .singleElement()
                    .satisfies(next -> assertThat(next.request().id()).isNotEqualTo(id));
            restarted.denyAllPending();
        }
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.audit WHERE id = 1")).isEqualTo("0");
    }

    @Test
    void aGrantCoversOnlyTheIdenticalStatementText() throws Exception {
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            assertThatThrownBy(() -> run(gateway, "DELETE FROM audit WHERE id = 2"))
                    .hasMessageContaining("Approval required");
            String id = gateway.onlyPending().request().id();
            gateway.approvals()
                    .decide(id, approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                    .join();

            assertThatThrownBy(() -> run(gateway, "DELETE FROM audit WHERE id > 0"))
                    .hasMessageContaining("Approval required");
            gateway.denyAllPending();
            assertThat(run(gateway, "DELETE FROM audit WHERE id = 2")).isEqualTo(1);
        }
    }

    @Test
    void aNotifierThatCannotDeliverRefusesTheStatementAndCancelsItsRequest() throws Exception {
        ApprovalNotifier down = new ApprovalNotifier() {
            @Override
            public CompletableFuture<Void> requested(ApprovalRequest request, ApprovalLinks links) {
                return CompletableFuture.failedFuture(new java.io.IOException("webhook answered 503"));
            }

            @Override
            public void decided(ApprovalRequest request, ApprovalOutcome outcome) {}
        };
        try (ApprovalGatewayFixture gateway = gateway(down)) {
            assertThatThrownBy(() -> run(gateway, "DELETE FROM audit WHERE id = 3"))
                    .hasMessageContaining("could not be delivered to approvers (webhook answered 503)")
                    .hasMessageContaining("the statement was not run");
            assertThat(gateway.approvals().pending().join()).isEmpty();
        }
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.audit WHERE id = 3")).isEqualTo("1");
    }

    @Test
    void aGrantWhoseWindowHasEndedNoLongerRunsTheStatement() throws Exception {
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            String id = approvedTicket(gateway, "DELETE FROM brief WHERE id = 1")
                    .request()
                    .id();
            Instant decidedAt =
                    gateway.approvals().find(id).join().orElseThrow().outcome().decidedAt();

            Thread.sleep(Math.max(
                    0,
                    Duration.between(Instant.now(), decidedAt.plusMillis(1500)).toMillis()));

            assertThatThrownBy(() -> run(gateway, "DELETE FROM brief WHERE id = 1"))
                    .hasMessageContaining("Approval required by agentgate")
                    .hasMessageNotContaining(id);
            gateway.denyAllPending();
        }
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.brief")).isEqualTo("1");
    }

    @Test
    void aGrantOfTwoUsesRunsTheStatementExactlyTwiceAndThenRefusesIt() throws Exception {
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            approvedTicket(gateway, "UPDATE twice SET n = n + 1");

            assertThat(run(gateway, "UPDATE twice SET n = n + 1")).isEqualTo(1);
            assertThat(run(gateway, "UPDATE twice SET n = n + 1")).isEqualTo(1);
            assertThatThrownBy(() -> run(gateway, "UPDATE twice SET n = n + 1"))
                    .hasMessageContaining("Approval required by agentgate");
            gateway.denyAllPending();
        }
        assertThat(mariadb.sql("SELECT n FROM shop.twice")).isEqualTo("2");
    }

    @Test
    void anotherIdentityCannotUseAGrantAndTheRequesterStillCan() throws Exception {
        mariadb.sql("INSERT INTO shop.audit VALUES (11)");
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            approvedTicket(gateway, "DELETE FROM audit WHERE id = 11");

            assertThatThrownBy(() -> run(gateway, "agent-8", "appdb", "DELETE FROM audit WHERE id = 11"))
                    .hasMessageContaining("Approval required by agentgate");
            assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.audit WHERE id = 11"))
                    .isEqualTo("1");
            assertThat(gateway.onlyPending().request().requester().subject()).isEqualTo("agent-8");
            gateway.denyAllPending();
            assertThat(run(gateway, "DELETE FROM audit WHERE id = 11")).isEqualTo(1);
        }
    }

    @Test
    void aGrantOnOneTargetDoesNotCoverTheSameStatementOnAnother() throws Exception {
        mariadb.sql("INSERT INTO shop.audit VALUES (12)");
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            approvedTicket(gateway, "DELETE FROM audit WHERE id = 12");

            assertThatThrownBy(() -> run(
                            gateway, "agent-7", ApprovalGatewayFixture.OTHER_TARGET, "DELETE FROM audit WHERE id = 12"))
                    .hasMessageContaining("Approval required by agentgate");
            assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.audit WHERE id = 12"))
                    .isEqualTo("1");
            assertThat(gateway.onlyPending().request().target()).isEqualTo(ApprovalGatewayFixture.OTHER_TARGET);
            gateway.denyAllPending();
            assertThat(run(gateway, "DELETE FROM audit WHERE id = 12")).isEqualTo(1);
        }
    }

    @Test
    void whenTheDecisionMasksTheRequestShowsTheStatementWithItsLiteralsReplacedByPlaceholders() throws Exception {
        try (ApprovalGatewayFixture gateway = gateway(new LoggingNotifier())) {
            assertThatThrownBy(() -> run(gateway, "DELETE FROM customers WHERE email = 'ann@example.com'"))
                    .hasMessageContaining("Approval required by agentgate");
            ApprovalRecord pending = gateway.onlyPending();
            gateway.denyAllPending();

            assertThat(pending.request().statement()).isEqualTo("DELETE FROM `customers` WHERE `email` = ?");
            // What the state database keeps for approvers and audit: no copy of the literal anywhere in it.
            assertThat(ApprovalRows.json(pending.request().facts())).doesNotContain("ann@example.com");
        }
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.customers")).isEqualTo("1");
    }
}
