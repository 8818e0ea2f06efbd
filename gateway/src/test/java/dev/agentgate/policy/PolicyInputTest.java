package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.ColumnLineage;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.analysis.lineage.MaskedColumns;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.ContractSchemas;
import dev.agentgate.testing.PolicyFixtures;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The input document sent to OPA matches the contract docs/schemas/policy-input.v1.json. */
class PolicyInputTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer();
    private final PolicyInput inputs = new PolicyInput(new ObjectMapper());

    @AfterAll
    static void closeAnalyzer() {
        ANALYZER.close();
    }

    private static StatementFacts facts(String sql) {
        return ANALYZER.analyze(sql, "shop").statements().get(0);
    }

    private JsonNode queryInput(String sql) {
        PolicyQuestion question = PolicyQuestion.query(sql);
        return inputs.build(
                PolicyFixtures.readOnlyAgent(), PolicyFixtures.session("shop"), question.command(), facts(sql));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM customers WHERE id = 42",
                "DELETE FROM orders",
                "UPDATE orders SET total = total + 1 WHERE id = 3 LIMIT 1",
                "SELECT SLEEP(10), @v := 1",
                "INSERT INTO shop.orders (id, total) SELECT id, 0 FROM legacy_orders",
                "SELECT * FROM orders WHERE id = 1 PROCEDURE ANALYSE()",
                "USE other",
                "CREATE TABLE invoices (id BIGINT PRIMARY KEY)",
                "GRANT SELECT ON shop.* TO 'x'@'%'"
            })
    void aQueryInputWithTheAnalyzersFactsValidatesAgainstTheInputSchema(String sql) {
        assertThat(ContractSchemas.INPUT.violations(queryInput(sql))).isEmpty();
    }

    @Test
    void aPrepareInputValidatesAgainstTheInputSchema() {
        String sql = "SELECT total FROM orders WHERE id = ?";
        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                PolicyFixtures.session("shop"),
                PolicyQuestion.prepare(sql).command(),
                facts(sql));
        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
    }

    @Test
    void aSecondQuestionWithTheStatementsLineageValidatesAgainstTheInputSchema() {
        String sql = "SELECT name, UPPER(ssn) FROM customers WHERE email = 'x' ORDER BY @v";
        InMemoryCatalog catalog = InMemoryCatalog.builder()
                .table("shop", "customers", "id", "name", "ssn", "email")
                .build();
        StatementLineage lineage = new ColumnLineage(ANALYZER)
                .analyze(sql, "shop", catalog, MaskedColumns.of("*.customers.ssn", "*.customers.email"))
                .get(0);

        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                PolicyFixtures.session("shop"),
                PolicyQuestion.query(sql).command(),
                facts(sql),
                lineage);

        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
        assertThat(input.at("/statement/lineage/columns/1/sources/0").asText()).isEqualTo("shop.customers.ssn");
        assertThat(input.at("/statement/lineage/masked_uses/0/use").asText()).isEqualTo("filter");
        assertThat(input.at("/statement/sql").asText()).isEqualTo(sql);
    }

    @Test
    void anInitDbInputValidatesAgainstTheInputSchemaAndCarriesNoStatement() {
        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                PolicyFixtures.session(null),
                PolicyQuestion.initDb("shop").command(),
                null);
        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
        assertThat(input.get("command").path("type").asText()).isEqualTo("init_db");
        assertThat(input.get("command").path("schema").asText()).isEqualTo("shop");
        assertThat(input.has("statement")).isFalse();
    }

    @Test
    void aFieldListInputValidatesAgainstTheInputSchema() {
        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                PolicyFixtures.session("shop"),
                PolicyQuestion.fieldList("shop", "orders").command(),
                null);
        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
        assertThat(input.get("command").path("table").asText()).isEqualTo("orders");
    }

    @Test
    void aFieldListWithoutACurrentDatabaseValidatesAgainstTheInputSchema() {
        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                PolicyFixtures.session(null),
                PolicyQuestion.fieldList(null, "orders").command(),
                null);
        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
    }

    @Test
    void aSessionWithoutDatabaseConnectAttributesOrTokenExpiryValidatesAgainstTheInputSchema() {
        SessionFacts bare = new SessionFacts(
                1,
                "gw-b-0000000000000001",
                "appdb",
                null,
                "[::1]:50312",
                false,
                null,
                Map.of(),
                PolicyFixtures.STARTED_AT,
                null);
        JsonNode input = inputs.build(
                PolicyFixtures.readOnlyAgent(),
                bare,
                PolicyQuestion.query("SELECT 1").command(),
                ANALYZER.analyze("SELECT 1", null).statements().get(0));
        assertThat(ContractSchemas.INPUT.violations(input)).isEmpty();
        assertThat(input.get("session").get("token_expires_at").isNull()).isTrue();
    }

    @Test
    void theSessionPartCarriesWhereTheStatementRuns() throws Exception {
        JsonNode session = queryInput("SELECT 1").get("session");
        // compared as JSON trees: the order of connect attributes carries no meaning
        assertThat(session)
                .isEqualTo(
                        new ObjectMapper()
                                .readTree(
                                        "{\"id\":12,\"session_id\":\"gw-a-3f2c9e1b7d4a6058\",\"gateway_instance\":\"gw-a\",\"target\":\"appdb\",\"database\":\"shop\",\"client_address\":\"10.1.2.3:50312\",\"tls\":true,"
                                                + "\"client_program\":\"mysql\",\"connect_attrs\":{\"_client_name\":\"libmariadb\",\"program_name\":\"mysql\"},"
                                                + "\"started_at\":\"2026-11-23T23:50:00Z\",\"token_expires_at\":\"2026-11-24T00:50:00Z\"}"));
    }

    @Test
    void theIdentityPartCarriesEveryVerifiedClaim() {
        JsonNode identity = queryInput("SELECT 1").get("identity");
        assertThat(identity.path("issuer").asText()).isEqualTo("agentgate-dev");
        assertThat(identity.path("subject").asText()).isEqualTo("agent-7");
        assertThat(identity.path("claims").path("agent").asText()).isEqualTo("true");
        assertThat(identity.path("claims").path("exp").asLong())
                .isEqualTo(PolicyFixtures.TOKEN_EXPIRES_AT.getEpochSecond());
    }

    @Test
    void theStatementPartUsesTheContractsSnakeCaseNames() {
        JsonNode statement = queryInput("DELETE FROM orders").get("statement");
        assertThat(statement.path("type").asText()).isEqualTo("delete");
        assertThat(statement.path("where_clause").asBoolean(true)).isFalse();
        assertThat(statement.path("tables").toString())
                .isEqualTo("[{\"schema\":\"shop\",\"name\":\"orders\",\"access\":\"write\"}]");
        assertThat(statement.path("digest_hash").asText()).hasSize(64);
    }

    @Test
    void theSchemaRejectsAnInputWithoutAVersion() {
        ObjectNode input = (ObjectNode) queryInput("SELECT 1");
        input.remove("version");
        assertThat(ContractSchemas.INPUT.violations(input))
                .singleElement()
                .asString()
                .contains("version");
    }
}
