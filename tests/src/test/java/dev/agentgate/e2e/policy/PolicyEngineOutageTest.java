package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OPA sidecar crashes or hangs under a live session: statements are denied (fail closed) with an error
 * that says why, within the time limit, and flow again on the same connection once OPA is back. The policy
 * allows everything and sets no cache_ttl_s, so every statement asks OPA.
 */
class PolicyEngineOutageTest {

    /** Loose bound on one refused statement: the time limit is 1 s, OPA down is refused at once. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.opaPolicy(
                    opa.start(TestPolicies.write(policyDirectory, "allow_all.rego", TestPolicies.ALLOW_ALL)))
            .policySetting("timeout", "1s")
            .policySetting("circuit_open_for", "500ms"));

    @Test
    void whenOpaIsKilledStatementsAreDeniedPromptlyAndFlowAgainOnTheSameConnectionOnceItIsBack() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-outage")) {
            String connectionId = awaitAllowed(connection);
            opa.kill();
            String lastMessage = "";
            for (int i = 0; i < 12; i++) {
                lastMessage = assertDeniedPromptly(connection, "policy engine unavailable");
            }
            assertThat(lastMessage)
                    .as("after repeated failures the circuit breaker stops asking OPA")
                    .contains("policy engine unavailable (circuit open)");
            opa.restart();
            assertThat(awaitAllowed(connection))
                    .as("the same backend session, no reconnect")
                    .isEqualTo(connectionId);
        }
    }

    @Test
    void whenOpaHangsStatementsAreDeniedAtTheTimeLimitAndFlowAgainOnceItAnswers() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-freeze")) {
            String connectionId = awaitAllowed(connection);
            opa.freeze();
            try {
                for (int i = 0; i < 3; i++) {
                    assertDeniedPromptly(connection, "policy engine did not answer in time");
                }
            } finally {
                opa.thaw();
            }
            assertThat(awaitAllowed(connection))
                    .as("the same backend session, no reconnect")
                    .isEqualTo(connectionId);
        }
    }

    /** The statement is refused with 1142 / 42000 and {@code reason} within {@link #PROMPT}; returns the message. */
    private static String assertDeniedPromptly(Connection connection, String reason) {
        long started = System.nanoTime();
        SQLException error = assertSqlError(
                () -> Sql.scalar(connection, "SELECT CONNECTION_ID()"),
                1142,
                "42000",
                "Access denied by agentgate policy: " + reason);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
        return error.getMessage();
    }

    /**
     * Polls until statements run again (the circuit breaker half-opens after circuit_open_for), then runs a
     * few more so that it closes; returns the backend connection id.
     */
    private static String awaitAllowed(Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try {
                String id = Sql.scalar(connection, "SELECT CONNECTION_ID()");
                for (int i = 0; i < 3; i++) {
                    assertThat(Sql.scalar(connection, "SELECT CONNECTION_ID()")).isEqualTo(id);
                }
                return id;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError(
                "statements were still refused " + RECOVERY.toSeconds() + " s after OPA came back", last);
    }
}
