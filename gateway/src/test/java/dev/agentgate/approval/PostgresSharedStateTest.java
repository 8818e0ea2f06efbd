package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PostgresServer;
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

/** Two gateways sharing a PostgreSQL state database: a statement held on one runs once it is approved on the other. */
@Tag("integration")
class PostgresSharedStateTest {

    @TempDir
    static Path directory;

    private static MariaDbServer target;
    private static PostgresServer state;
    private static OpaProcess opa;

    @BeforeAll
    static void start() throws Exception {
        target = MariaDbServer.start(Files.createDirectories(directory.resolve("target")));
        ApprovalGatewayFixture.createServiceAccount(target);
        target.sql(ApprovalPolicies.SETUP + " INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b');");
        state = PostgresServer.start();
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
                new StateConfig(state.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD, 2),
                ApprovalConfig.defaults().withPollInterval(Duration.ofMillis(250)),
                new LoggingNotifier());
    }

    @Test
    void aStatementHeldOnOneGatewayRunsWithinASecondOfItsApprovalOnAnother() throws Exception {
        try (ApprovalGatewayFixture holding = gateway("holding");
                ApprovalGatewayFixture deciding = gateway("deciding");
                Connection connection = holding.connect("agent-7")) {
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
            assertThat(target.sql("SELECT COUNT(*) FROM shop.orders WHERE id = 1"))
                    .isEqualTo("0");
        }
    }
}
