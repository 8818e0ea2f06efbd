package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.identity.Identity;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the gate sends to OPA, seen through a policy that denies every statement but USE and echoes
 * parts of its input in the reason (cacheable by digest, so caching can be observed too).
 */
@Tag("integration")
class EchoPolicyGateTest {

    private static final String POLICY = """
      package agentgate

      tables := [sprintf("%v.%v", [t.schema, t.name]) | some t in input.statement.tables]

      decision := {"action": "allow", "reason": "echo: use"} if input.statement.type == "use"

      decision := {
        "action": "deny",
        "reason": sprintf("echo: database %v, tables %v, role %v", [input.session.database, tables, object.get(input.identity.claims, "role", "none")]),
        "cache_ttl_s": 60,
        "cache_key": "digest",
      } if not input.statement.type in {"use", "do"}

      # DO is allowed alone and denied in a batch: a policy may read the multiple_statements feature.
      decision := {"action": "allow", "reason": "echo: do alone", "cache_ttl_s": 60, "cache_key": "digest"} if {
        input.statement.type == "do"
        not "multiple_statements" in input.statement.features
      }

      decision := {"action": "deny", "reason": "echo: do in a batch", "cache_ttl_s": 60, "cache_key": "digest"} if {
        input.statement.type == "do"
        "multiple_statements" in input.statement.features
      }
      """;

    @TempDir
    static Path policyDir;

    private static OpaProcess opa;
    private DecisionCache cache;
    private GateHarness harness;

    @BeforeAll
    static void startOpa() throws IOException {
        Files.writeString(policyDir.resolve("echo.rego"), POLICY);
        opa = OpaProcess.start(policyDir);
    }

    @AfterAll
    static void stopOpa() {
        opa.close();
    }

    @BeforeEach
    void newGate() {
        cache = new DecisionCache(1000);
        harness = GateHarness.asking(opa.url(), cache);
    }

    @AfterEach
    void closeGate() {
        harness.close();
    }

    private String refusal(Identity identity, String sql) throws Exception {
        GateResult result = harness.check(identity, PolicyFixtures.session("shop"), PolicyQuestion.query(sql));
        assertThat(result).isInstanceOf(GateResult.Refuse.class);
        return ((GateResult.Refuse) result).message();
    }

    private static Identity withRole(String role) {
        return PolicyFixtures.devIdentity("agent-7", Map.of("role", role));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      USE other; SELECT * FROM orders                | statement 2 of 2: echo: database other, tables ["other.orders"]
      USE `other`; SELECT * FROM orders              | statement 2 of 2: echo: database other, tables ["other.orders"]
      USE a; USE b; DELETE FROM orders WHERE id = 1  | statement 3 of 3: echo: database b, tables ["b.orders"]
      SELECT * FROM orders; USE other                | statement 1 of 2: echo: database shop, tables ["shop.orders"]
      """)
    void eachStatementOfABatchIsDecidedInTheDatabaseItWillRunIn(String batch, String decided) throws Exception {
        assertThat(refusal(withRole("reader"), batch))
                .isEqualTo("Access denied by agentgate policy: " + decided + ", role reader");
    }

    @Test
    void aRepeatedStatementIsAnsweredFromTheCache() throws Exception {
        refusal(withRole("reader"), "SELECT * FROM orders WHERE id = 1");
        refusal(withRole("reader"), "SELECT * FROM orders WHERE id = 2");
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isEqualTo(1);
    }

    @Test
    void twoIdentitiesWithTheSameSubjectButOtherRolesNeverShareACachedDecision() throws Exception {
        assertThat(refusal(withRole("reader"), "SELECT * FROM orders")).endsWith("role reader");
        assertThat(refusal(withRole("dba"), "SELECT * FROM orders")).endsWith("role dba");
        assertThat(cache.stats().hitCount()).isZero();
    }

    @Test
    void aDecisionForAStatementAloneIsNotReusedForTheSameStatementInABatch() throws Exception {
        assertThat(harness.check(withRole("reader"), PolicyFixtures.session("shop"), PolicyQuestion.query("DO 1")))
                .isInstanceOf(GateResult.Proceed.class);
        assertThat(refusal(withRole("reader"), "DO 1; DO 1"))
                .isEqualTo("Access denied by agentgate policy: statement 1 of 2: echo: do in a batch");
    }

    @Test
    void aNewTokenWithTheSameClaimsReusesTheCachedDecision() throws Exception {
        refusal(withRole("reader"), "SELECT * FROM orders");
        refusal(withRole("reader"), "SELECT * FROM orders");
        assertThat(cache.stats().hitCount()).isEqualTo(1);
    }
}
