package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPA client against a real OPA server running a small test policy. */
@Tag("integration")
class OpaClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // Answers are chosen by input.case so that one policy covers every kind of result.
    private static final String POLICY = """
      package agentgate

      decision := {"action": "allow", "reason": "reads are fine", "cache_ttl_s": 30} if input.case == "allow"
      decision := {"action": "deny", "reason": "no writes"} if input.case == "deny"
      decision := {"action": "mask", "reason": "pii", "masks": {"shop.customers.email": {"strategy": "email"}}} if input.case == "mask"
      decision := {"action": "launch"} if input.case == "unknown-action"
      decision := "allow" if input.case == "not-an-object"
      decision := {"action": "mask", "reason": "pii", "masks": {"shop.customers.email": {"strategy": "rot13"}}} if input.case == "bad-strategy"
      """;

    @TempDir
    static Path policyDir;

    private static OpaProcess opa;
    private static OpaClient client;

    @BeforeAll
    static void startOpa() throws IOException {
        Files.writeString(policyDir.resolve("policy.rego"), POLICY);
        opa = OpaProcess.start(policyDir);
        client = new OpaClient(PolicyFixtures.patientOpa(opa.url()), MAPPER);
    }

    @AfterAll
    static void stopOpa() {
        client.close();
        opa.close();
    }

    private static JsonNode input(String testCase) {
        return MAPPER.createObjectNode().put("case", testCase);
    }

    private static Decision decide(OpaClient opaClient, String testCase) throws Exception {
        return opaClient.decide(input(testCase)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAllowCarriesThePolicysReasonAndCacheLifetime() throws Exception {
        assertThat(decide(client, "allow")).isInstanceOfSatisfying(Decision.Allow.class, allow -> {
            assertThat(allow.reason()).isEqualTo("reads are fine");
            assertThat(allow.caching().ttl()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void aDenyCarriesThePolicysReason() throws Exception {
        assertThat(decide(client, "deny"))
                .isInstanceOfSatisfying(
                        Decision.Deny.class, deny -> assertThat(deny.reason()).isEqualTo("no writes"));
    }

    @Test
    void aMaskNamesTheStrategyPerColumn() throws Exception {
        assertThat(decide(client, "mask"))
                .isInstanceOfSatisfying(
                        Decision.Mask.class,
                        mask -> assertThat(mask.masks())
                                .containsEntry(
                                        "shop.customers.email", new Decision.MaskRule("email", java.util.Map.of())));
    }

    @Test
    void anUndefinedDecisionIsADeny() throws Exception {
        assertThat(decide(client, "nothing-matches"))
                .isInstanceOfSatisfying(
                        Decision.Deny.class,
                        deny -> assertThat(deny.reason())
                                .isEqualTo(
                                        "policy returned no decision: data.agentgate.decision is undefined for this input"));
    }

    @Test
    void anUnknownActionIsADenyThatSaysSo() throws Exception {
        assertThat(decide(client, "unknown-action").reason())
                .isEqualTo(
                        "policy returned an invalid decision: unknown action 'launch' (expected allow, deny, mask or require_approval)");
    }

    @Test
    void aDecisionThatIsNotAnObjectIsADeny() throws Exception {
        assertThat(decide(client, "not-an-object"))
                .isInstanceOfSatisfying(
                        Decision.Deny.class,
                        deny -> assertThat(deny.reason())
                                .isEqualTo("policy returned an invalid decision: expected an object, got string"));
    }

    @Test
    void anUnknownMaskingStrategyIsADeny() throws Exception {
        assertThat(decide(client, "bad-strategy")).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void noOpaListeningIsADenySayingThePolicyEngineIsUnavailable() throws Exception {
        try (OpaClient nowhere =
                new OpaClient(OpaSettings.defaults(URI.create("http://127.0.0.1:" + FreePorts.next())), MAPPER)) {
            assertThat(decide(nowhere, "allow").reason()).isEqualTo("policy engine unavailable");
        }
    }

    @Test
    void anOpaThatDoesNotAnswerInTimeIsADenyWithinTheTimeLimit() throws Exception {
        try (OpaProcess frozen = OpaProcess.start(policyDir);
                OpaClient impatient = new OpaClient(OpaSettings.defaults(frozen.url()), MAPPER)) {
            frozen.freeze();
            long started = System.nanoTime();
            Decision decision = decide(impatient, "allow");
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(decision.reason()).isEqualTo("policy engine did not answer in time");
            assertThat(elapsedMs).isLessThan(2_000);
        }
    }

    @Test
    void aBurstBeyondTheConcurrencyLimitQueuesAndIsAllowedWithoutOpeningTheCircuit() throws Exception {
        OpaSettings narrow = new OpaSettings(
                opa.url(), OpaSettings.DEFAULT_DECISION_PATH, Duration.ofSeconds(3), 4, Duration.ofSeconds(30));
        try (OpaClient burst = new OpaClient(narrow, MAPPER)) {
            List<CompletableFuture<Decision>> decisions = IntStream.range(0, 400)
                    .mapToObj(i -> burst.decide(input("allow")))
                    .toList();
            CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(decisions)
                    .allSatisfy(decision -> assertThat(decision.join()).isInstanceOf(Decision.Allow.class));
            assertThat(burst.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }
}
