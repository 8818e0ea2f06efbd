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
        try (Connection connection = gateway.connect("agent-7");
                Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
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
}
