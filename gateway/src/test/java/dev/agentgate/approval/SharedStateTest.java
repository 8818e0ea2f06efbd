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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways sharing a MariaDB state database: a statement held on one runs once people decide on the other, and
 * without the state database statements that need approval are refused.
 */
@Tag("integration")
class SharedStateTest {

    @TempDir
    static Path directory;

    private static MariaDbServer target;
    private static MariaDbServer state;
    private static OpaProcess opa;

    @BeforeAll
    static void start() throws Exception {
        target = MariaDbServer.start(Files.createDirectories(directory.resolve("target")));
        ApprovalGatewayFixture.createServiceAccount(target);
        target.sql(ApprovalPolicies.SETUP + " INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b');");
        state = MariaDbServer.start(Files.createDirectories(directory.resolve("state")));
        state.sql("CREATE DATABASE agentgate_state; CREATE USER 'gw'@'%' IDENTIFIED BY 'gw-secret';"
                + " GRANT ALL ON agentgate_state.* TO 'gw'@'%';");
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), ApprovalPolicies.REGO));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {opa, state, target}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // stopping test processes
            }
        }
    }

    private static ApprovalGatewayFixture gateway(String name) throws Exception {
        return ApprovalGatewayFixture.start(
                directory.resolve(name),
                target,
                opa,
                new StateConfig("jdbc:mariadb://127.0.0.1:" + state.port() + "/agentgate_state", "gw", "gw-secret", 2),
                ApprovalConfig.defaults().withPollInterval(Duration.ofMillis(250)),
                new LoggingNotifier());
    }

    @Test
    void aStatementHeldOnOneGatewayRunsWithinASecondOfItsApprovalOnAnother() throws Exception {
        try (ApprovalGatewayFixture holding = gateway("holding");
                ApprovalGatewayFixture deciding = gateway("deciding")) {
            Connection connection = holding.connect("agent-7");
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.executeUpdate("DELETE FROM orders WHERE id = 1");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            String id = deciding.onlyPending().request().id();

            Instant approvedAt = Instant.now();
            assertThat(deciding.approvals()
                            .decide(id, approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                            .join())
                    .isInstanceOf(DecideResult.Decided.class);

            assertThat(delete.get(40, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(Duration.between(approvedAt, Instant.now())).isLessThan(Duration.ofSeconds(2));
            connection.close();
        }
    }

    @Test
    void withoutItsStateDatabaseAGatewayRefusesStatementsThatNeedApproval() throws Exception {
        int nothingListens = dev.agentgate.testing.FreePorts.next();
        try (ApprovalGatewayFixture gateway = ApprovalGatewayFixture.start(
                        directory.resolve("alone"),
                        target,
                        opa,
                        new StateConfig(
                                "jdbc:mariadb://127.0.0.1:" + nothingListens + "/agentgate_state",
                                "gw",
                                "gw-secret",
                                2),
                        ApprovalConfig.defaults(),
                        new LoggingNotifier());
                Connection connection = gateway.connect("agent-7");
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM orders WHERE id = 2"))
                    .hasMessageContaining(
                            "the statement needs approval, but the approval state database is unavailable")
                    .hasMessageContaining("the statement was not run");
        }
        assertThat(target.sql("SELECT COUNT(*) FROM shop.orders WHERE id = 2")).isEqualTo("1");
    }
}
