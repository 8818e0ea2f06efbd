package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What two gateways sharing one state database promise, whichever engine holds it: a statement held on one runs once
 * it is approved on the other. Each engine's test supplies its server.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedStateContract {

    @TempDir
    static Path directory;

    MariaDbServer target;
    OpaProcess opa;
    private AutoCloseable stateServer;

    /** Starts the state database's server in {@code directory}; it is closed after the tests. */
    abstract AutoCloseable startStateServer(Path directory) throws Exception;

    /** How a gateway reaches the state database of {@link #startStateServer}. */
    abstract StateConfig state();

    /** Creates an empty database {@code name} on the state server; how a gateway reaches it. */
    abstract StateConfig createDatabase(String name) throws Exception;

    @BeforeAll
    void start() throws Exception {
        target = MariaDbServer.start(Files.createDirectories(directory.resolve("target")));
        ApprovalGatewayFixture.createServiceAccount(target);
        target.sql(ApprovalPolicies.SETUP + " INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b');");
        stateServer = startStateServer(Files.createDirectories(directory.resolve("state")));
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), ApprovalPolicies.REGO));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable part : new AutoCloseable[] {opa, stateServer, target}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // stopping test processes
            }
        }
    }

    ApprovalGatewayFixture gateway(String name, StateConfig state) throws Exception {
        return ApprovalGatewayFixture.start(
                directory.resolve(name),
                target,
                opa,
                state,
                ApprovalConfig.defaults().withPollInterval(Duration.ofMillis(250)),
                new LoggingNotifier());
    }

    @Test
    void severalGatewaysStartingAtOnceOnAnEmptyStateDatabaseAllOpenIt() throws Exception {
        StateConfig empty = createDatabase("agentgate_empty");
        List<CompletableFuture<StateDatabase>> opening = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            opening.add(CompletableFuture.supplyAsync(() -> StateDatabase.open(empty)));
        }

        for (CompletableFuture<StateDatabase> database : opening) {
            database.get(60, TimeUnit.SECONDS).call(connection -> null).join();
            database.join().close();
        }
    }

    @Test
    void aStatementHeldOnOneGatewayRunsWithinASecondOfItsApprovalOnAnother() throws Exception {
        try (ApprovalGatewayFixture holding = gateway("holding", state());
                ApprovalGatewayFixture deciding = gateway("deciding", state());
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
