package dev.agentgate.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents sending statements the parser cannot handle (1000 nested parentheses) do not cost another session its
 * answers: the other session's small statements are all parsed and allowed by a policy that allows only what was
 * parsed, while the oversized ones are refused at once naming the limit.
 */
class ParserFairnessE2eTest {

    private static final String PARSED_ONLY = """
      package agentgate

      decision := {"action": "allow", "reason": "allow: parsed"} if input.statement.parsed == true

      decision := {"action": "deny", "reason": sprintf("unparsed: %v", [input.statement.parse_error])} if input.statement.parsed == false

      decision := {"action": "allow", "reason": "allow: no statement"} if not input.statement
      """;
    private static final String NESTED = "SELECT " + "(".repeat(1000) + "1" + ")".repeat(1000);

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(config ->
            config.opaPolicy(opa.start(TestPolicies.write(policyDirectory, "parsed_only.rego", PARSED_ONLY))));

    @Test
    void fourSessionsSendingDeeplyNestedStatementsLeaveAnotherSessionsStatementsParsed() throws Exception {
        List<Connection> attackers = new ArrayList<>();
        List<CompletableFuture<List<String>>> attacks = new ArrayList<>();
        try (Connection bystander = gateway.connect(JdbcClient.CONNECTOR_J, "agent-bystander")) {
            for (int i = 0; i < 4; i++) {
                Connection attacker = gateway.connect(JdbcClient.CONNECTOR_J, "agent-nested-" + i);
                attackers.add(attacker);
                attacks.add(CompletableFuture.supplyAsync(() -> refusals(attacker, 20)));
            }
            long started = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                assertThat(Sql.scalar(bystander, "SELECT " + i + " + 1")).isEqualTo(String.valueOf(i + 1));
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .as("seconds for 100 statements")
                    .isLessThan(10);
            for (CompletableFuture<List<String>> attack : attacks) {
                assertThat(attack.get(30, TimeUnit.SECONDS))
                        .hasSize(20)
                        .allSatisfy(message -> assertThat(message)
                                .contains("statement too large to analyse: parentheses nested deeper than 12 levels"));
            }
        } finally {
            for (Connection attacker : attackers) {
                attacker.close();
            }
        }
    }

    private static List<String> refusals(Connection connection, int times) {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(NESTED);
                messages.add("allowed");
            } catch (SQLException refused) {
                messages.add(refused.getMessage());
            }
        }
        return messages;
    }
}
