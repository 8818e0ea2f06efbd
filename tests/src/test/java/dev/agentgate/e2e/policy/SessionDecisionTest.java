package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Just-in-time access: the policy decides each session once, at login (command type {@code connect}), and its
 * {@code max_session_s} ends the session even while the token is still valid.
 */
class SessionDecisionTest {

    private static final String POLICY = """
      package agentgate

      connect if input.command.type == "connect"

      decision := {"action": "deny", "reason": "session: agent-barred may not log in"} if {
      	connect
      	input.identity.subject == "agent-barred"
      }

      decision := {"action": "allow", "reason": "session: 30 s", "obligations": {"max_session_s": 30}} if {
      	connect
      	input.identity.subject == "agent-short"
      }

      decision := {"action": "allow", "reason": "session: any length"} if {
      	connect
      	not input.identity.subject in {"agent-barred", "agent-short"}
      }

      decision := {"action": "allow", "reason": "allow: every statement"} if not connect
      """;

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(
            config -> config.opaPolicy(opa.start(TestPolicies.write(policyDirectory, "sessions.rego", POLICY)))
                    .policySetting("timeout", "1s"));

    @Test
    void aStatementRunningAtTheMaximumSessionDurationIsCancelledAndTheSessionEndsSayingWhy() throws Exception {
        String token = gateway.issuer().token("agent-short").ttlSeconds(3600).mint();
        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token);
                Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            Throwable ended = catchThrowable(() -> statement.executeQuery("SELECT SLEEP(120) AS at_max_session"));

            assertThat(ended)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("session reached its maximum duration of 30 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
            assertThat(RunningStatements.count("at_max_session")).isZero();
        }
    }

    @Test
    void aLoginThePolicyDeniesIsRefusedWithAccessDeniedAndThePolicysReason() {
        assertSqlError(
                () -> gateway.connect(JdbcClient.CONNECTOR_J, "agent-barred").close(),
                1045,
                "28000",
                "session refused by agentgate policy: session: agent-barred may not log in [decision ");
    }

    @Test
    void aChangeUserToAnIdentityThePolicyRefusesASessionEndsTheSession() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-pooled")) {
            assertSqlError(
                    () -> connection
                            .unwrap(JdbcConnection.class)
                            .changeUser(
                                    GatewayExtension.TARGET, gateway.issuer().valid("agent-barred")),
                    1045,
                    "28000",
                    "session refused by agentgate policy: session: agent-barred may not log in");
            assertThat(connection.isValid(2)).isFalse();
        }
    }

    @Test
    void aSessionWithoutLimitsRunsStatementsAsBefore() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-long")) {
            assertThat(Sql.scalar(connection, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void noSessionIsAdmittedWhileThePolicyEngineIsDown() throws Exception {
        opa.kill();
        try {
            assertSqlError(
                    () -> gateway.connect(JdbcClient.CONNECTOR_J, "agent-during-outage")
                            .close(),
                    1045,
                    "28000",
                    "session refused by agentgate policy: policy engine unavailable");
        } finally {
            opa.restart();
        }
    }
}
