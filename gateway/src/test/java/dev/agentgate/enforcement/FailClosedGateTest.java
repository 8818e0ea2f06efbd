package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.PolicyFixtures;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without a decision there is no statement: every failure on the way is a refusal. */
class FailClosedGateTest {

    private static final URI NO_OPA = URI.create("http://127.0.0.1:" + FreePorts.next());

    @Test
    void anUnreachablePolicyEngineRefusesTheStatementSayingSo() throws Exception {
        try (GateHarness harness = GateHarness.asking(NO_OPA, (DecisionCache) null)) {
            GateResult result = harness.check(
                    PolicyFixtures.readOnlyAgent(), PolicyFixtures.session("shop"), PolicyQuestion.query("SELECT 1"));
            assertThat(result).isInstanceOfSatisfying(GateResult.Refuse.class, refuse -> {
                assertThat(refuse.message()).isEqualTo("Access denied by agentgate policy: policy engine unavailable");
                assertThat(refuse.errorCode()).isEqualTo(1142);
                assertThat(refuse.decision()).isInstanceOf(Decision.Deny.class);
            });
        }
    }

    @Test
    void anUnreachablePolicyEngineRefusesCommandsWithoutSqlToo() throws Exception {
        try (GateHarness harness = GateHarness.asking(NO_OPA, (DecisionCache) null)) {
            assertThat(harness.check(
                            PolicyFixtures.readOnlyAgent(),
                            PolicyFixtures.session(null),
                            PolicyQuestion.initDb("shop")))
                    .isInstanceOfSatisfying(
                            GateResult.Refuse.class,
                            refuse -> assertThat(refuse.message())
                                    .isEqualTo("Access denied by agentgate policy: policy engine unavailable"));
        }
    }

    @Test
    void aSaturatedAnalysisPoolRefusesTheStatementInsteadOfQueueingIt() throws Exception {
        // One analysis thread, no queue, and that thread busy: the next statement cannot be analysed.
        ThreadPoolExecutor saturated = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
        CountDownLatch release = new CountDownLatch(1);
        saturated.execute(() -> awaitQuietly(release));
        try (GateHarness harness = GateHarness.withAnalysisThreads(NO_OPA, saturated)) {
            GateResult result = harness.check(
                    PolicyFixtures.readOnlyAgent(), PolicyFixtures.session("shop"), PolicyQuestion.query("SELECT 1"));
            assertThat(result).isInstanceOfSatisfying(GateResult.Refuse.class, refuse -> {
                assertThat(refuse.message())
                        .isEqualTo("Access denied by agentgate: the statement could not be checked against the policy");
                assertThat(refuse.sqlState()).isEqualTo("42000");
            });
        } finally {
            release.countDown();
            saturated.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
