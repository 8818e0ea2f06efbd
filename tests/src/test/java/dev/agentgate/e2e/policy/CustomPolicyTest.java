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
 * Policies written by the test into a directory a real OPA watches ({@code --watch}): answers that break
 * the decision contract are denies that say what was wrong, and a rewritten policy file takes effect
 * without restarting the gateway. Both policies set no cache_ttl_s: the gateway's decision cache (on, with
 * its default size) must not keep such decisions.
 */
class CustomPolicyTest {

    /** Answers by statement text; everything else (the drivers' setup statements) is allowed. */
    private static final String CONTRACT_POLICY = """
      package agentgate

      sql := object.get(input, ["statement", "sql"], "")

      answers := {
      	"SELECT 'a string'": "yes",
      	"SELECT 'an unknown action'": {"action": "maybe", "reason": "test: unknown action"},
      	"SELECT 'no reason'": {"action": "allow"},
      	"SELECT 'switchable'": data.agentgate.switchable.decision,
      }

      decision := answers[sql]

      decision := {"action": "deny", "reason": "test: no pings"} if input.command.type == "ping"

      decision := {"action": "allow", "reason": "allow: everything else"} if {
      	not answers[sql]
      	sql != "SELECT 'undefined'"
      	input.command.type != "ping"
      }
      """;

    private static final String SWITCHABLE_ALLOWS = """
      package agentgate.switchable

      decision := {"action": "allow", "reason": "allow: before the change"}
      """;
    private static final String SWITCHABLE_DENIES = """
      package agentgate.switchable

      decision := {"action": "deny", "reason": "switched: denied since the policy file was rewritten"}
      """;
    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(15);

    @TempDir
    static Path workDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(config -> {
        TestPolicies.write(policyDirectory(), "contract.rego", CONTRACT_POLICY);
        TestPolicies.write(policyDirectory(), "switchable.rego", SWITCHABLE_ALLOWS);
        return config.opaPolicy(opa.start(policyDirectory())).policySetting("timeout", "2s");
    });

    private static Path policyDirectory() {
        return workDirectory.resolve("policies");
    }

    @Test
    void aPingIsDecidedByThePolicy() throws SQLException {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "alice")) {
            assertThat(connection.isValid(5)).as("a ping the policy denies").isFalse();
        }
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "alice")) {
            assertThat(Sql.scalar(connection, "SELECT 'queries still run'")).isEqualTo("queries still run");
        }
    }

    @Test
    void aDecisionThatIsNotAnObjectIsADeny() {
        assertInvalidDecision(
                "SELECT 'a string'", "policy returned an invalid decision: expected an object, got string");
    }

    @Test
    void aDecisionWithAnUnknownActionIsADeny() {
        assertInvalidDecision(
                "SELECT 'an unknown action'",
                "policy returned an invalid decision: unknown action 'maybe' (expected allow, deny, mask or require_approval)");
    }

    @Test
    void aDecisionWithoutAReasonIsADeny() {
        assertInvalidDecision(
                "SELECT 'no reason'",
                "policy returned an invalid decision: 'reason' must be a non-empty string, got nothing");
    }

    @Test
    void anUndefinedDecisionIsADeny() {
        assertInvalidDecision(
                "SELECT 'undefined'",
                "policy returned no decision: data.agentgate.decision is undefined for this input");
    }

    @Test
    void aRewrittenPolicyFileTakesEffectWithoutRestartingTheGateway() throws Exception {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-reload")) {
            assertThat(Sql.scalar(connection, "SELECT 'switchable'")).isEqualTo("switchable");
            TestPolicies.write(policyDirectory(), "switchable.rego", SWITCHABLE_DENIES);
            try {
                SQLException denied = awaitDenied(connection, "SELECT 'switchable'");
                assertThat(denied.getErrorCode()).isEqualTo(1142);
                assertThat(denied.getSQLState()).isEqualTo("42000");
                assertThat(denied.getMessage())
                        .startsWith(
                                "Access denied by agentgate policy: switched: denied since the policy file was rewritten [decision ");
                assertThat(Sql.scalar(connection, "SELECT 'other statements still run'"))
                        .isEqualTo("other statements still run");
            } finally {
                TestPolicies.write(policyDirectory(), "switchable.rego", SWITCHABLE_ALLOWS);
            }
        }
    }

    private static void assertInvalidDecision(String sql, String reason) {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-contract")) {
            assertSqlError(
                    () -> Sql.scalar(connection, sql), 1142, "42000", "Access denied by agentgate policy: " + reason);
            assertThat(Sql.scalar(connection, "SELECT 'still usable'")).isEqualTo("still usable");
        } catch (SQLException e) {
            throw new AssertionError("cannot log in through the gateway", e);
        }
    }

    /** Repeats {@code sql} on the same connection until it is refused (OPA reloads a watched file in about a second). */
    private static SQLException awaitDenied(Connection connection, String sql) throws InterruptedException {
        long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Sql.scalar(connection, sql);
                Thread.sleep(100);
            } catch (SQLException denied) {
                return denied;
            }
        }
        throw new AssertionError("'" + sql + "' was still allowed " + RELOAD_LIMIT.toSeconds()
                + " s after the policy file was rewritten");
    }
}
