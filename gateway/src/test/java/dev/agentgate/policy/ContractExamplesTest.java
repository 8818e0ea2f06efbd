package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.testing.ContractSchemas;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import dev.agentgate.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worked examples of docs/schemas/examples: each input is valid, and the shipped policy in a real
 * OPA decides it, through the client and parser, with the action the example expects.
 */
@Tag("integration")
class ContractExamplesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Class<? extends Decision>, String> ACTIONS = Map.of(
            Decision.Allow.class,
            "allow",
            Decision.Deny.class,
            "deny",
            Decision.Mask.class,
            "mask",
            Decision.RequireApproval.class,
            "require_approval");

    private static OpaProcess opa;
    private static OpaClient client;

    @BeforeAll
    static void startOpa() {
        opa = OpaProcess.start(RepoFiles.regoDir());
        client = new OpaClient(PolicyFixtures.patientOpa(opa.url()), MAPPER);
    }

    @AfterAll
    static void stopOpa() {
        client.close();
        opa.close();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.schemasDir().resolve("examples"))) {
            List<Path> json = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
            return json.stream();
        }
    }

    private static JsonNode read(Path example) throws IOException {
        return MAPPER.readTree(example.toFile());
    }

    @Test
    void thereAreExamplesOfEveryAction() throws IOException {
        List<String> expected = examples()
                .map(example -> {
                    try {
                        return read(example).path("expected_action").asText();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .distinct()
                .sorted()
                .toList();
        assertThat(expected).containsExactly("allow", "deny", "mask", "require_approval");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theExampleInputValidatesAgainstTheInputSchema(Path example) throws IOException {
        assertThat(ContractSchemas.INPUT.violations(read(example).get("input"))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theShippedPolicysDecisionParsesToTheExpectedAction(Path example) throws Exception {
        JsonNode document = read(example);
        Decision decision = client.decide(document.get("input")).get(10, TimeUnit.SECONDS);
        assertThat(decision.reason()).doesNotStartWith("policy ");
        assertThat(ACTIONS.get(decision.getClass()))
                .as(decision.reason())
                .isEqualTo(document.path("expected_action").asText());
    }
}
