package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.testing.DevGateway;
import dev.agentgate.testing.OpaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that points {@code policy.opa_url} at another OPA, in a running gateway with a real MariaDB and two real
 * OPAs: logins after the reload are decided by the new one, a session opened before it goes on with the policy side
 * it began with.
 */
@Tag("integration")
class PolicyReloadMariaDbTest {
    private static final String DENY_THE_PROBE = """
      package agentgate

      probes if contains(lower(input.statement.sql), "as probe")

      decision := {"action": "deny", "reason": "test: the second OPA denies the probe"} if probes

      decision := {"action": "allow", "reason": "test: everything else"} if not probes
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private static OpaProcess second;

    @BeforeAll
    static void start() throws Exception {
        gateway = DevGateway.start(
                directory,
                "package agentgate\n\ndecision := {\"action\": \"allow\", \"reason\": \"test: first OPA\"}\n",
                "CREATE DATABASE shop;",
                MaskingConfig.NONE);
        second = OpaProcess.start(Files.writeString(directory.resolve("deny-the-probe.rego"), DENY_THE_PROBE));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void newLoginsAreDecidedByTheReloadedPolicySettingsWhileAnOpenSessionKeepsItsOwn() throws Exception {
        try (Connection before = gateway.connect("appdb", "shop")) {
            assertThat(selectOne(before)).isEqualTo(1);

            gateway.server().reload(withOpaUrlOfTheSecond(gateway.server().config()));

            try (Connection after = gateway.connect("appdb", "shop")) {
                assertThatThrownBy(() -> selectOne(after))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("test: the second OPA denies the probe");
            }
            assertThat(selectOne(before))
                    .as("the session opened before the reload")
                    .isEqualTo(1);
        }
    }

    private static GatewayConfig withOpaUrlOfTheSecond(GatewayConfig running) {
        return running.toBuilder()
                .policy(running.policy().withOpaUrl(second.url()))
                .build();
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 AS probe")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
