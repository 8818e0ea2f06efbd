package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every verdict of the gate, from the cache or from the policy, allowed or refused, is timed once. */
class StatementGateDecisionTimesTest {

    private static final Identity AGENT =
            new Identity("agentgate-dev", "agent-7", Map.of("sub", "agent-7"), Instant.parse("2030-01-01T00:00:00Z"));
    private static final SessionFacts SESSION =
            new SessionFacts(1, "s1", "appdb", "shop", "127.0.0.1", true, null, Map.of(), Instant.EPOCH, null);
    private static final Decision.Caching BY_DIGEST = new Decision.Caching(Duration.ofMinutes(5), true, false);

    private final StatementAnalyzer analyzer = new StatementAnalyzer();

    @AfterEach
    void closeAnalyzer() {
        analyzer.close();
    }

    private StatementGate gate(Decision decision) {
        return new StatementGate(
                analyzer,
                new RecordingEngine(input -> decision),
                new DecisionCache(100),
                new PolicyInput(new ObjectMapper()),
                Runnable::run);
    }

    @Test
    void aDecisionFromThePolicyAndOneFromTheCacheAreEachTimedOnce() {
        StatementGate gate = gate(new Decision.Allow("fine", Optional.empty(), Decision.Obligations.NONE, BY_DIGEST));

        gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT name FROM items WHERE id = 1"))
                .join();
        gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT name FROM items WHERE id = 2"))
                .join();

        DecisionTimes.Snapshot times = gate.decisionTimes().snapshot();
        assertThat(times.count()).isEqualTo(2);
        assertThat(times.sumNanos()).isPositive();
    }

    @Test
    void aRefusalIsTimedToo() {
        StatementGate gate = gate(new Decision.Deny("no", Optional.empty(), Decision.Caching.NEVER));

        GateResult result = gate.check(AGENT, SESSION, PolicyQuestion.query("DROP TABLE items"))
                .join();

        assertThat(result).isInstanceOf(GateResult.Refuse.class);
        assertThat(gate.decisionTimes().snapshot().count()).isEqualTo(1);
    }
}
