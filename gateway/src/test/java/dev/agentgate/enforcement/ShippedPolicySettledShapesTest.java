package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import dev.agentgate.testing.RepoFiles;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shipped policy in a real OPA lets an agent's masked point reads be settled once per shape. */
@Tag("integration")
class ShippedPolicySettledShapesTest {

    private static OpaProcess opa;
    private static GateHarness harness;

    @BeforeAll
    static void startOpa() {
        opa = OpaProcess.start(List.of(), RepoFiles.regoDir());
        harness = GateHarness.asking(opa.url(), new DecisionCache(1000));
    }

    @BeforeAll
    static void warmUpTheParser() throws Exception {
        // a cold JVM on a busy machine may take longer than the parser's time limit for its first statements
        for (int i = 0; i < 5; i++) {
            harness.check(
                    PolicyFixtures.readOnlyAgent(),
                    PolicyFixtures.session("shop"),
                    PolicyQuestion.query("SELECT id, total FROM orders WHERE customer_id = " + i + " ORDER BY id"));
        }
    }

    @AfterAll
    static void stopOpa() {
        harness.close();
        opa.close();
    }

    private static GateResult.Proceed agentQuery(String sql) throws Exception {
        GateResult result = harness.check(
                PolicyFixtures.readOnlyAgent(), PolicyFixtures.session("shop"), PolicyQuestion.query(sql));
        assertThat(result).isInstanceOf(GateResult.Proceed.class);
        return (GateResult.Proceed) result;
    }

    @Test
    void anAgentsPointReadWithAnotherLiteralProceedsWithTheDecisionSettledForItsShape() throws Exception {
        GateResult.Proceed first = agentQuery("SELECT id, name, email, ssn FROM customers WHERE id = 17");

        GateResult.Proceed second = agentQuery("SELECT id, name, email, ssn FROM customers WHERE id = 4711");

        // the same decision (OPA's decision id included): neither analysed nor asked again
        assertThat(second.decisions()).isEqualTo(first.decisions());
        assertThat(second.decisions().get(0)).isSameAs(first.decisions().get(0));
        assertThat(second.statements().get(0).sql())
                .isEqualTo("SELECT id, name, email, ssn FROM customers WHERE id = 4711");
    }
}
