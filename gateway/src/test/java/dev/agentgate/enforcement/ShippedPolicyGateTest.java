package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import dev.agentgate.testing.RepoFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The statement gate against a real OPA running the shipped policies of rego/, with decision logging on. */
@Tag("integration")
class ShippedPolicyGateTest {

    private static final String DECISION_ID = "\\[decision [0-9a-f-]{36}]";

    private static OpaProcess opa;
    private static GateHarness harness;

    @BeforeAll
    static void startOpa() {
        opa = OpaProcess.start(List.of("--set", "decision_logs.console=true"), RepoFiles.regoDir());
        harness = GateHarness.asking(opa.url(), (DecisionCache) null);
    }

    @AfterAll
    static void stopOpa() {
        harness.close();
        opa.close();
    }

    private static GateResult agentQuery(String sql) throws Exception {
        return harness.check(PolicyFixtures.readOnlyAgent(), PolicyFixtures.session("shop"), PolicyQuestion.query(sql));
    }

    private static GateResult.Refuse refused(GateResult result) {
        assertThat(result).isInstanceOf(GateResult.Refuse.class);
        return (GateResult.Refuse) result;
    }

    @Test
    void aReadOnlyAgentMaySelectFromATableItHasAReadGrantOn() throws Exception {
        assertThat(agentQuery("SELECT id, total FROM orders WHERE id = 42"))
                .isInstanceOfSatisfying(GateResult.Proceed.class, proceed -> {
                    assertThat(proceed.statements())
                            .singleElement()
                            .satisfies(facts ->
                                    assertThat(facts.sql()).isEqualTo("SELECT id, total FROM orders WHERE id = 42"));
                    // An agent under masking: every SELECT carries the PII masks, and the lineage finds none in orders.
                    assertThat(proceed.decisions()).singleElement().isInstanceOf(Decision.Mask.class);
                    assertThat(proceed.masking()
                                    .planFor(
                                            0,
                                            List.of(
                                                    new ColumnOrigin("shop", "orders", "id"),
                                                    new ColumnOrigin("shop", "orders", "total")))
                                    .isEmpty())
                            .isTrue();
                });
    }

    @Test
    void aDeleteWithoutWhereIsRefusedAsAnAccessErrorWithThePolicysReason() throws Exception {
        GateResult.Refuse refuse = refused(agentQuery("DELETE FROM orders"));
        assertThat(refuse.errorCode()).isEqualTo(1142);
        assertThat(refuse.sqlState()).isEqualTo("42000");
        assertThat(refuse.decision()).isInstanceOf(Decision.Deny.class);
        assertThat(refuse.message())
                .startsWith("Access denied by agentgate policy: ")
                .contains("unbounded_write: DELETE without a WHERE clause would change every row of shop.orders")
                .contains("readonly: agent-7 (issuer agentgate-dev) is read-only; DELETE statements are not allowed");
    }

    @Test
    void aDenyNamesOpasDecisionIdSoItCanBeFoundInTheDecisionLog() throws Exception {
        GateResult.Refuse refuse = refused(agentQuery("DELETE FROM orders"));
        assertThat(refuse.decision().decisionId())
                .hasValueSatisfying(id -> assertThat(refuse.message()).endsWith(" [decision " + id + "]"));
        assertThat(refuse.message()).containsPattern(DECISION_ID + "$");
    }

    @Test
    void aBatchWithOneDeniedStatementIsRefusedWholeNamingThatStatement() throws Exception {
        GateResult.Refuse refuse = refused(agentQuery("SELECT id FROM orders WHERE id = 1; DELETE FROM orders"));
        assertThat(refuse.message())
                .startsWith("Access denied by agentgate policy: statement 2 of 2: ")
                .contains("unbounded_write: DELETE without a WHERE clause would change every row of shop.orders");
    }

    @Test
    void aMaskedSelectWhoseLineageHasNoMaskedUsesIsDecidedInOneAsk() throws Exception {
        assertThat(agentQuery("SELECT name, ssn FROM customers WHERE id = 42"))
                .isInstanceOfSatisfying(GateResult.Proceed.class, proceed -> {
                    assertThat(proceed.inputs().text())
                            .singleElement()
                            .asString()
                            .contains("\"sql\":\"SELECT name, ssn FROM customers WHERE id = 42\"")
                            .doesNotContain("\"lineage\"");
                    MaskPlan plan = proceed.masking()
                            .planFor(
                                    0,
                                    List.of(
                                            new ColumnOrigin("shop", "customers", "name"),
                                            new ColumnOrigin("shop", "customers", "ssn")));
                    assertThat(plan.strategy(0)).isEmpty();
                    assertThat(plan.strategy(1)).isPresent();
                });
    }

    @Test
    void aMaskedSelectWhoseLineageHasAMaskedUseIsAskedAgainAndRefused() throws Exception {
        GateResult.Refuse refuse = refused(agentQuery("SELECT LOCATE('1', ssn) AS p FROM customers WHERE id = 42"));

        assertThat(refuse.inputs().text())
                .singleElement()
                .asString()
                .contains("\"masked_uses\":[{\"column\":\"shop.customers.ssn\",\"use\":\"computation\"");
        assertThat(refuse.message())
                .startsWith("Access denied by agentgate policy: pii: agents may not use masked column "
                        + "shop.customers.ssn in computation");
    }

    @Test
    void aMaskDecisionProceedsWithAResponseMaskingAfterItsLineageIsTraced() throws Exception {
        assertThat(agentQuery("SELECT * FROM customers WHERE id = 42"))
                .isInstanceOfSatisfying(GateResult.Proceed.class, proceed -> {
                    assertThat(proceed.decisions())
                            .singleElement()
                            .isInstanceOfSatisfying(
                                    Decision.Mask.class,
                                    mask -> assertThat(mask.masks())
                                            .containsKeys("*.customers.ssn", "*.customers.email"));
                    assertThat(proceed.masking().masksAnything()).isTrue();
                });
    }

    @Test
    void aRequireApprovalDecisionIsRefusedWhenTheGatewayHasNoApprovals() throws Exception {
        Identity migrateWorkflow = new Identity(
                "https://token.actions.githubusercontent.com",
                "repo:acme/shop:ref:refs/heads/main",
                Map.of(
                        "repository",
                        "acme/shop",
                        "ref",
                        "refs/heads/main",
                        "workflow",
                        "migrate",
                        "job_workflow_ref",
                        "acme/shop/.github/workflows/migrate.yml@refs/heads/main"),
                PolicyFixtures.TOKEN_EXPIRES_AT);
        GateResult.Refuse refuse = refused(harness.check(
                migrateWorkflow, PolicyFixtures.session("shop"), PolicyQuestion.query("DROP TABLE legacy_orders")));
        assertThat(refuse.decision()).isInstanceOf(Decision.RequireApproval.class);
        assertThat(refuse.message())
                .startsWith("Access denied by agentgate: the statement needs approval (destructive: ")
                .contains("but approvals are not enabled on this gateway");
    }

    @Test
    void anInitDbToAGrantedSchemaProceeds() throws Exception {
        assertThat(harness.check(
                        PolicyFixtures.readOnlyAgent(), PolicyFixtures.session(null), PolicyQuestion.initDb("shop")))
                .isInstanceOf(GateResult.Proceed.class);
    }

    @Test
    void anInitDbToASchemaWithoutGrantIsRefused() throws Exception {
        assertThat(refused(harness.check(
                                PolicyFixtures.readOnlyAgent(),
                                PolicyFixtures.session(null),
                                PolicyQuestion.initDb("mysql")))
                        .message())
                .startsWith("Access denied by agentgate policy: ")
                .contains("table_access");
    }
}
