package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link StatementGate#check(Identity, SessionFacts, PolicyQuestion, List)}: an EXECUTE decided with the facts of its PREPARE. */
class StatementGateKnownFactsTest {

    private static final Identity AGENT =
            new Identity("agentgate-dev", "agent-7", Map.of("sub", "agent-7"), Instant.parse("2030-01-01T00:00:00Z"));
    private static final SessionFacts SESSION =
            new SessionFacts(1, "s1", "appdb", "shop", "127.0.0.1", true, null, Map.of(), Instant.EPOCH, null);
    private static final StatementFacts LOOKUP = StatementFacts.builder()
            .sql("SELECT name FROM items WHERE id = ?")
            .type(StatementType.SELECT)
            .parsed(true)
            .digest("SELECT `name` FROM `items` WHERE `id` = ?", "d1")
            .build();

    private final StatementAnalyzer analyzer = new StatementAnalyzer();

    @AfterEach
    void closeAnalyzer() {
        analyzer.close();
    }

    private StatementGate gate(PolicyEngine engine, DecisionCache cache) {
        // Known facts must never be analysed again: an analysis task would fail the test.
        return new StatementGate(analyzer, engine, cache, new PolicyInput(new ObjectMapper()), task -> {
            throw new AssertionError("the statement was analysed again");
        });
    }

    private static Decision allowOrDenyFortyTwo(JsonNode input, Decision.Caching caching) {
        return input.at("/command/parameters/0").asLong() == 42
                ? new Decision.Deny("test: 42 is off limits", Optional.of("d-42"), caching)
                : new Decision.Allow("test: fine", Optional.empty(), Decision.Obligations.NONE, caching);
    }

    private static PolicyQuestion execute(Object... values) {
        return PolicyQuestion.execute(5, Arrays.asList(values));
    }

    @Test
    void asksThePolicyWithTheExecuteCommandAndThePreparedFactsWithoutAnalysing() {
        RecordingEngine engine = new RecordingEngine(input -> allowOrDenyFortyTwo(input, Decision.Caching.NEVER));

        GateResult result = gate(engine, null)
                .check(AGENT, SESSION, execute(1L, "x", null, new byte[] {1, 2}), List.of(LOOKUP))
                .join();

        assertThat(result).isInstanceOf(GateResult.Proceed.class);
        assertThat(((GateResult.Proceed) result).statements()).containsExactly(LOOKUP);
        JsonNode input = engine.inputs.get(0);
        assertThat(input.at("/command/type").asText()).isEqualTo("execute");
        assertThat(input.at("/command/statement_id").asLong()).isEqualTo(5);
        assertThat(input.at("/command/parameters").toString()).isEqualTo("[1,\"x\",null,\"AQI=\"]");
        assertThat(input.at("/statement/sql").asText()).isEqualTo("SELECT name FROM items WHERE id = ?");
    }

    @Test
    void refusesAnExecuteThePolicyDeniesWithItsReason() {
        RecordingEngine engine = new RecordingEngine(input -> allowOrDenyFortyTwo(input, Decision.Caching.NEVER));

        GateResult result = gate(engine, null)
                .check(AGENT, SESSION, execute(42L), List.of(LOOKUP))
                .join();

        assertThat(result).isInstanceOf(GateResult.Refuse.class);
        assertThat(((GateResult.Refuse) result).message()).contains("test: 42 is off limits");
        assertThat(((GateResult.Refuse) result).errorCode()).isEqualTo(1142);
    }

    @Test
    void neverReusesADecisionAboutOtherBoundValuesEvenWhenThePolicyCachesByDigest() {
        Decision.Caching byDigest = new Decision.Caching(Duration.ofMinutes(1), true, false);
        RecordingEngine engine = new RecordingEngine(input -> allowOrDenyFortyTwo(input, byDigest));
        StatementGate gate = gate(engine, new DecisionCache(100));

        GateResult first =
                gate.check(AGENT, SESSION, execute(1L), List.of(LOOKUP)).join();
        GateResult second =
                gate.check(AGENT, SESSION, execute(42L), List.of(LOOKUP)).join();

        assertThat(first).isInstanceOf(GateResult.Proceed.class);
        assertThat(second).isInstanceOf(GateResult.Refuse.class);
        assertThat(engine.inputs).hasSize(2);
    }

    @Test
    void reusesACachedDecisionForTheSameBoundValues() {
        Decision.Caching cached = new Decision.Caching(Duration.ofMinutes(1), false, false);
        RecordingEngine engine = new RecordingEngine(input -> allowOrDenyFortyTwo(input, cached));
        StatementGate gate = gate(engine, new DecisionCache(100));

        gate.check(AGENT, SESSION, execute(1L), List.of(LOOKUP)).join();
        gate.check(AGENT, SESSION, execute(1L), List.of(LOOKUP)).join();
        gate.check(AGENT, SESSION, execute("1"), List.of(LOOKUP)).join();

        assertThat(engine.inputs)
                .as("the text \"1\" is another value than the number 1")
                .hasSize(2);
    }
}
