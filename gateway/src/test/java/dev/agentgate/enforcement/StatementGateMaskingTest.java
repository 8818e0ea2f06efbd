package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.PolicyFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two-phase decision of {@code mask}: a second question with the statement's lineage, whose answer is final. */
class StatementGateMaskingTest {

    private static final Identity AGENT = PolicyFixtures.readOnlyAgent();
    private static final SessionFacts SESSION = PolicyFixtures.session("shop");
    private static final Decision.Caching CACHED = new Decision.Caching(Duration.ofMinutes(1), false, false);
    private static final InMemoryCatalog SHOP = InMemoryCatalog.builder()
            .table("shop", "customers", "id", "name", "ssn", "email")
            .table("shop", "orders", "id", "total")
            .build();

    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private final ExecutorService analysisThreads = Executors.newFixedThreadPool(2);
    private final List<String> invalidated = new ArrayList<>();

    @AfterEach
    void close() {
        analysisThreads.shutdownNow();
        analyzer.close();
    }

    private StatementGate gate(RecordingEngine engine, DecisionCache cache, byte[] hashKey) {
        TargetCatalogs catalogs = new TargetCatalogs() {
            @Override
            public Catalog of(String target) {
                return SHOP;
            }

            @Override
            public void invalidate(String target, Set<String> schemas) {
                invalidated.add(target + ":" + schemas);
            }

            @Override
            public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
                return Set.of();
            }
        };
        return new StatementGate(
                analyzer,
                engine,
                cache,
                new PolicyInput(new ObjectMapper()),
                analysisThreads,
                catalogs,
                new MaskingRules(hashKey));
    }

    private StatementGate gate(RecordingEngine engine) {
        return gate(engine, null, null);
    }

    private static boolean secondAsk(JsonNode input) {
        return !input.at("/statement/lineage").isMissingNode();
    }

    private static Decision allow(String reason) {
        return new Decision.Allow(reason, Optional.empty(), Decision.Obligations.NONE, Decision.Caching.NEVER);
    }

    private static Decision mask(String pattern, String strategy, Decision.Caching caching) {
        return new Decision.Mask(
                "test: mask " + pattern,
                Optional.empty(),
                Map.of(pattern, new Decision.MaskRule(strategy, Map.of())),
                Decision.Obligations.NONE,
                caching);
    }

    private static Decision deny(String reason) {
        return new Decision.Deny(reason, Optional.of("d-2"), Decision.Caching.NEVER);
    }

    /** Masks customers' ssn in the first answer; the second answer is computed by {@code second}. */
    private static RecordingEngine maskingSsnThen(Function<JsonNode, Decision> second) {
        return new RecordingEngine(input -> secondAsk(input)
                ? second.apply(input)
                : input.at("/statement/sql").asText().contains("customers")
                        ? mask("shop.customers.ssn", "null", Decision.Caching.NEVER)
                        : allow("test: fine"));
    }

    private static GateResult.Proceed proceeded(GateResult result) {
        assertThat(result).isInstanceOf(GateResult.Proceed.class);
        return (GateResult.Proceed) result;
    }

    private static GateResult.Refuse refused(GateResult result) {
        assertThat(result).isInstanceOf(GateResult.Refuse.class);
        return (GateResult.Refuse) result;
    }

    private static List<ColumnOrigin> origins(String... columns) {
        return Arrays.stream(columns)
                .map(column -> new ColumnOrigin("shop", "customers", column))
                .toList();
    }

    @Test
    void aCommandEveryStatementOfWhichIsAllowedIsAskedOnceAndMasksNothing() {
        RecordingEngine engine = maskingSsnThen(input -> allow("never asked"));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT id FROM orders"))
                .join());

        assertThat(proceed.masking()).isSameAs(ResponseMasking.NONE);
        assertThat(engine.inputs).hasSize(1);
    }

    @Test
    void theSecondAskCarriesTheStatementsLineageNextToItsFacts() {
        RecordingEngine engine = maskingSsnThen(input -> allow("test: lineage is fine"));

        gate(engine)
                .check(
                        AGENT,
                        SESSION,
                        PolicyQuestion.query("SELECT name, UPPER(ssn) AS s FROM customers WHERE email = 'x'"))
                .join();

        assertThat(engine.inputs).hasSize(2);
        JsonNode lineage = engine.inputs.get(1).at("/statement/lineage");
        assertThat(lineage.at("/columns/1/sources").toString()).isEqualTo("[\"shop.customers.ssn\"]");
        assertThat(lineage.at("/columns/1/unknown").asBoolean()).isFalse();
        assertThat(lineage.at("/complete").asBoolean()).isTrue();
        assertThat(lineage.at("/incomplete_reason").isNull()).isTrue();
        assertThat(lineage.at("/masked_uses").isArray()).isTrue();
        assertThat(engine.inputs.get(1).at("/statement/type").asText()).isEqualTo("select");
        assertThat(engine.inputs.get(1).at("/command/type").asText()).isEqualTo("query");
    }

    @Test
    void aDenyInTheSecondAnswerRefusesTheStatementWithItsReason() {
        RecordingEngine engine = maskingSsnThen(input -> deny("test: masked column in a filter"));

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT name FROM customers WHERE ssn = '1'"))
                .join());

        assertThat(refuse.message())
                .isEqualTo("Access denied by agentgate policy: test: masked column in a filter [decision d-2]");
        assertThat(refuse.errorCode()).isEqualTo(1142);
    }

    @Test
    void aRequireApprovalInTheSecondAnswerIsStillRefused() {
        RecordingEngine engine = maskingSsnThen(input -> new Decision.RequireApproval(
                "test: ask a human",
                Optional.empty(),
                List.of("dba"),
                null,
                Duration.ofMinutes(5),
                Decision.Caching.NEVER));

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join());

        assertThat(refuse.message())
                .startsWith("Access denied by agentgate: the statement needs approval (test: ask a human)")
                .contains("test: ask a human");
    }

    @Test
    void anAllowInTheSecondAnswerKeepsTheFirstAnswersMasks() {
        RecordingEngine engine = maskingSsnThen(input -> allow("test: lineage is fine"));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT name, ssn FROM customers"))
                .join());

        MaskPlan plan = proceed.masking().planFor(0, origins("name", "ssn"));
        assertThat(plan.strategy(0)).isEmpty();
        assertThat(plan.strategy(1)).isPresent();
        assertThat(proceed.decisions()).singleElement().isInstanceOfSatisfying(Decision.Mask.class, mask -> {
            assertThat(mask.masks()).containsOnlyKeys("shop.customers.ssn");
            assertThat(mask.reason()).isEqualTo("test: lineage is fine");
        });
    }

    @Test
    void aMaskInTheSecondAnswerAddsItsMasks() {
        RecordingEngine engine = maskingSsnThen(input -> mask("shop.customers.name", "redact", Decision.Caching.NEVER));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT name, ssn FROM customers"))
                .join());

        MaskPlan plan = proceed.masking().planFor(0, origins("name", "ssn"));
        assertThat(plan.lastMaskedColumn()).isEqualTo(1);
        assertThat(plan.strategy(0)).isPresent();
        assertThat(proceed.decisions())
                .singleElement()
                .isInstanceOfSatisfying(
                        Decision.Mask.class,
                        mask -> assertThat(mask.masks()).containsOnlyKeys("shop.customers.ssn", "shop.customers.name"));
    }

    /** Masks customers' ssn, standing for every lineage without masked uses; the question with lineage is denied. */
    private static RecordingEngine maskingSsnIfNoMaskedUses() {
        return new RecordingEngine(input -> secondAsk(input)
                ? deny("test: masked use")
                : new Decision.Mask(
                        "test: mask ssn",
                        Optional.empty(),
                        Map.of("shop.customers.ssn", new Decision.MaskRule("null", Map.of())),
                        Decision.Obligations.NONE,
                        Decision.Caching.NEVER,
                        Decision.LineageAsk.IF_MASKED_USES));
    }

    @Test
    void aMaskStandingForLineagesWithoutMaskedUsesIsNotAskedAgainAboutALineageWithout() {
        RecordingEngine engine = maskingSsnIfNoMaskedUses();

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT name, ssn FROM customers WHERE id = 1"))
                .join());

        assertThat(engine.inputs).hasSize(1);
        MaskPlan plan = proceed.masking().planFor(0, origins("name", "ssn"));
        assertThat(plan.strategy(0)).isEmpty();
        assertThat(plan.strategy(1)).isPresent();
        assertThat(proceed.decisions())
                .singleElement()
                .isInstanceOfSatisfying(
                        Decision.Mask.class, mask -> assertThat(mask.reason()).isEqualTo("test: mask ssn"));
        assertThat(proceed.inputs().text())
                .as("the statement is recorded with the one input the policy was asked with")
                .singleElement()
                .asString()
                .doesNotContain("\"lineage\"");
    }

    @Test
    void aMaskStandingForLineagesWithoutMaskedUsesIsAskedAgainAboutALineageWithOne() {
        RecordingEngine engine = maskingSsnIfNoMaskedUses();

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT name FROM customers ORDER BY ssn"))
                .join());

        assertThat(engine.inputs).hasSize(2);
        assertThat(engine.inputs
                        .get(1)
                        .at("/statement/lineage/masked_uses/0/use")
                        .asText())
                .isEqualTo("order");
        assertThat(refuse.message()).isEqualTo("Access denied by agentgate policy: test: masked use [decision d-2]");
    }

    @Test
    void aMaskStandingForLineagesWithoutMaskedUsesIsAskedAgainAboutAnIncompleteLineage() {
        RecordingEngine engine = maskingSsnIfNoMaskedUses();

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT * FROM customers JOIN invoices USING (id)"))
                .join());

        assertThat(engine.inputs).hasSize(2);
        assertThat(engine.inputs.get(1).at("/statement/lineage/complete").asBoolean())
                .isFalse();
        assertThat(refuse.message()).isEqualTo("Access denied by agentgate policy: test: masked use [decision d-2]");
    }

    @Test
    void aMaskWithHashIsRefusedWhenNoHashKeyIsConfigured() {
        RecordingEngine engine =
                new RecordingEngine(input -> mask("shop.customers.ssn", "hash", Decision.Caching.NEVER));

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join());

        assertThat(refuse.message())
                .isEqualTo(
                        "Access denied by agentgate: the policy's masks cannot be applied (mask for 'shop.customers.ssn': "
                                + "strategy 'hash' needs a key, and the gateway has no policy.masking.hash_key configured)");
        assertThat(engine.inputs)
                .as("no second ask for masks that cannot be applied")
                .hasSize(1);
    }

    @Test
    void aMaskWithHashProceedsWhenAHashKeyIsConfigured() {
        RecordingEngine engine =
                new RecordingEngine(input -> mask("shop.customers.ssn", "hash", Decision.Caching.NEVER));

        GateResult result = gate(engine, null, "0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join();

        assertThat(proceeded(result).masking().masksAnything()).isTrue();
    }

    @Test
    void aSecondAnswerWithInvalidMaskParametersIsRefusedNamingTheProblem() {
        RecordingEngine engine = maskingSsnThen(input -> new Decision.Mask(
                "test",
                Optional.empty(),
                Map.of("shop.customers.name", new Decision.MaskRule("partial", Map.of("keep_middle", 1))),
                Decision.Obligations.NONE,
                Decision.Caching.NEVER));

        GateResult.Refuse refuse = refused(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join());

        assertThat(refuse.message())
                .startsWith(
                        "Access denied by agentgate: the policy's masks cannot be applied (mask for 'shop.customers.name': ")
                .contains("keep_middle");
    }

    @Test
    void aCachedFirstMaskStillGoesThroughTheSecondAsk() {
        RecordingEngine engine = new RecordingEngine(
                input -> secondAsk(input) ? allow("test: second") : mask("shop.customers.ssn", "null", CACHED));
        DecisionCache cache = new DecisionCache(100);
        StatementGate gate = gate(engine, cache, null);

        gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join();
        GateResult again = gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join();

        assertThat(engine.inputs).hasSize(3);
        assertThat(cache.stats().hitCount())
                .as("the cached mask, counted once although looked up before and after analysis")
                .isEqualTo(1);
        assertThat(secondAsk(engine.inputs.get(2))).isTrue();
        assertThat(proceeded(again).masking().masksAnything()).isTrue();
    }

    @Test
    void theSecondAnswerIsCachedApartFromTheFirst() {
        RecordingEngine engine = new RecordingEngine(input -> secondAsk(input)
                ? new Decision.Allow("test: second", Optional.empty(), Decision.Obligations.NONE, CACHED)
                : mask("shop.customers.ssn", "null", CACHED));
        StatementGate gate = gate(engine, new DecisionCache(100), null);

        gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join();
        GateResult again = gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT ssn FROM customers"))
                .join();

        assertThat(engine.inputs).hasSize(2);
        assertThat(proceeded(again).decisions()).singleElement().isInstanceOf(Decision.Mask.class);
        assertThat(proceeded(again).masking().planFor(0, origins("ssn")).strategy(0))
                .isPresent();
    }

    @Test
    void anExecuteDecidedWithThePreparedFactsGetsTheLineageOfThePreparedSql() {
        RecordingEngine engine = maskingSsnThen(input -> allow("test: second"));
        StatementGate gate = gate(engine);
        StatementFacts prepared = proceeded(
                        gate.check(AGENT, SESSION, PolicyQuestion.prepare("SELECT ssn FROM customers WHERE id = ?"))
                                .join())
                .statements()
                .get(0);
        engine.inputs.clear();

        GateResult.Proceed proceed =
                proceeded(gate.check(AGENT, SESSION, PolicyQuestion.execute(7, List.of(1L)), List.of(prepared))
                        .join());

        assertThat(engine.inputs).hasSize(2);
        assertThat(engine.inputs.get(1).at("/command/type").asText()).isEqualTo("execute");
        assertThat(engine.inputs
                        .get(1)
                        .at("/statement/lineage/columns/0/sources")
                        .toString())
                .isEqualTo("[\"shop.customers.ssn\"]");
        assertThat(proceed.masking().planFor(0, origins("ssn")).strategy(0)).isPresent();
    }

    @Test
    void inABatchOnlyTheMaskedStatementsResultIsMasked() {
        RecordingEngine engine = maskingSsnThen(input -> allow("test: second"));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT id FROM orders; SELECT ssn FROM customers"))
                .join());

        assertThat(proceed.masking()
                        .planFor(0, List.of(new ColumnOrigin("shop", "orders", "id")))
                        .isEmpty())
                .isTrue();
        assertThat(proceed.masking().planFor(1, origins("ssn")).strategy(0)).isPresent();
        assertThat(engine.inputs).hasSize(3);
    }

    @Test
    void aStatementTouchingATableMissingFromTheCatalogIsAskedWithAnIncompleteLineageAndMaskedWhole() {
        RecordingEngine engine = new RecordingEngine(input ->
                secondAsk(input) ? allow("test: second") : mask("shop.customers.ssn", "null", Decision.Caching.NEVER));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("SELECT a, b FROM elsewhere"))
                .join());

        assertThat(engine.inputs.get(1).at("/statement/lineage/complete").asBoolean())
                .isFalse();
        assertThat(proceed.masking()
                        .planFor(
                                0,
                                List.of(
                                        new ColumnOrigin("shop", "elsewhere", "a"),
                                        new ColumnOrigin("shop", "elsewhere", "b")))
                        .lastMaskedColumn())
                .isEqualTo(1);
    }

    @Test
    void aStatementAfterDdlInTheSameCommandIsAskedWithAnIncompleteLineage() {
        RecordingEngine engine = maskingSsnThen(input -> allow("test: second"));

        GateResult.Proceed proceed = proceeded(gate(engine)
                .check(
                        AGENT,
                        SESSION,
                        PolicyQuestion.query(
                                "CREATE OR REPLACE VIEW v AS SELECT ssn AS name FROM customers; SELECT name FROM customers"))
                .join());

        JsonNode lineage = engine.inputs.stream()
                .filter(StatementGateMaskingTest::secondAsk)
                .filter(input -> input.at("/statement/sql").asText().startsWith("SELECT"))
                .findFirst()
                .orElseThrow()
                .at("/statement/lineage");
        assertThat(lineage.at("/complete").asBoolean()).isFalse();
        assertThat(lineage.at("/incomplete_reason").asText())
                .isEqualTo("an earlier statement of the same command changes the schema");
        assertThat(proceed.masking().planFor(1, origins("name")).strategy(0)).isPresent();
    }

    @Test
    void ddlMakesTheCatalogForgetTheSchemaItChanges() {
        RecordingEngine engine = new RecordingEngine(input -> allow("test: fine"));

        gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("ALTER TABLE customers ADD COLUMN phone TEXT"))
                .join();

        assertThat(invalidated).containsExactly("appdb:[shop]");
    }

    @Test
    void ddlWhoseDecisionIsCachedStillMakesTheCatalogForgetTheSchemaItChanges() {
        RecordingEngine engine = new RecordingEngine(
                input -> new Decision.Allow("test: fine", Optional.empty(), Decision.Obligations.NONE, CACHED));
        StatementGate gate = gate(engine, new DecisionCache(100), null);
        gate.check(AGENT, SESSION, PolicyQuestion.query("ALTER TABLE customers ADD COLUMN phone TEXT"))
                .join();
        invalidated.clear();

        GateResult again = gate.check(
                        AGENT, SESSION, PolicyQuestion.query("ALTER TABLE customers ADD COLUMN phone TEXT"))
                .join();

        assertThat(proceeded(again).decisions()).singleElement().isInstanceOf(Decision.Allow.class);
        assertThat(invalidated).containsExactly("appdb:[shop]");
    }

    @Test
    void aStatementThatChangesNoSchemaLeavesTheCatalogAlone() {
        RecordingEngine engine = new RecordingEngine(input -> allow("test: fine"));

        gate(engine)
                .check(AGENT, SESSION, PolicyQuestion.query("UPDATE orders SET total = 1 WHERE id = 2"))
                .join();

        assertThat(invalidated).isEmpty();
    }
}
