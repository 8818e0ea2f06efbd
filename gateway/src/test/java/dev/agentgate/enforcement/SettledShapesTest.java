package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.PolicyFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A masked query of a shape settled before proceeds without analysis, lineage or policy, as the first one of its
 * shape did; and only then: whatever its decision or lineage may depend on beyond the shape asks again.
 */
class SettledShapesTest {

    private static final Identity AGENT = PolicyFixtures.readOnlyAgent();
    private static final SessionFacts SESSION = PolicyFixtures.session("shop");
    private static final Decision.Caching BY_DIGEST = new Decision.Caching(Duration.ofMinutes(1), true, false);
    private static final Decision.Caching BY_TEXT = new Decision.Caching(Duration.ofMinutes(1), false, false);
    private static final Catalog SHOP = InMemoryCatalog.builder()
            .table("shop", "customers", "id", "name", "ssn")
            .view(
                    "shop",
                    "customer_names",
                    "select `id` AS `id`,`name` AS `name` from `shop`.`customers`",
                    "id",
                    "name")
            .build();

    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private final ExecutorService analysisThreads = Executors.newFixedThreadPool(2);
    private final AtomicLong catalogVersion = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();

    @AfterEach
    void close() {
        analysisThreads.shutdownNow();
        analyzer.close();
    }

    private StatementGate gate(RecordingEngine engine) {
        TargetCatalogs catalogs = new TargetCatalogs() {
            @Override
            public Catalog of(String target) {
                return (schema, name) -> {
                    lookups.incrementAndGet();
                    return SHOP.table(schema, name);
                };
            }

            @Override
            public void invalidate(String target, Set<String> schemas) {
                catalogVersion.incrementAndGet();
            }

            @Override
            public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
                return Set.of();
            }

            @Override
            public long version(String target) {
                return catalogVersion.get();
            }
        };
        return new StatementGate(
                analyzer,
                engine,
                new DecisionCache(1000),
                new PolicyInput(new ObjectMapper()),
                analysisThreads,
                catalogs,
                new MaskingRules(null));
    }

    /** Masks ssn in the first answer; the second denies a lineage with masked uses, else masks with {@code second}. */
    private static RecordingEngine maskingSsn(Decision.Caching second) {
        return new RecordingEngine(input -> {
            JsonNode lineage = input.at("/statement/lineage");
            if (!lineage.isMissingNode() && !lineage.get("masked_uses").isEmpty()) {
                return new Decision.Deny("test: masked use", Optional.empty(), Decision.Caching.NEVER);
            }
            return new Decision.Mask(
                    "test: mask ssn",
                    Optional.empty(),
                    Map.of("shop.customers.ssn", new Decision.MaskRule("null", Map.of())),
                    Decision.Obligations.NONE,
                    lineage.isMissingNode() ? BY_DIGEST : second);
        });
    }

    private static GateResult check(StatementGate gate, String sql) {
        return gate.check(AGENT, SESSION, PolicyQuestion.query(sql)).join();
    }

    /** Checks {@code sql} and says whether its lineage was traced (it looked a table up in the catalog). */
    private boolean traced(StatementGate gate, String sql) {
        long before = lookups.get();
        check(gate, sql);
        return lookups.get() > before;
    }

    @Test
    void aPointReadWithAnotherLiteralProceedsWithoutAskingThePolicy() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, name, ssn FROM customers WHERE id = 1");

        long lookupsBefore = lookups.get();
        GateResult second = check(gate, "SELECT id, name, ssn FROM customers WHERE id = 2");

        assertThat(engine.inputs).hasSize(2); // both asks of the first statement, none of the second
        assertThat(lookups.get()).isEqualTo(lookupsBefore);
        assertThat(second).isInstanceOfSatisfying(GateResult.Proceed.class, proceed -> {
            assertThat(proceed.statements())
                    .singleElement()
                    .satisfies(facts ->
                            assertThat(facts.sql()).isEqualTo("SELECT id, name, ssn FROM customers WHERE id = 2"));
            assertThat(proceed.decisions()).singleElement().isInstanceOf(Decision.Mask.class);
            assertThat(proceed.masking()
                            .planFor(0, List.of(origin("id"), origin("name"), origin("ssn")))
                            .strategy(2))
                    .isPresent();
            assertThat(proceed.masking()
                            .planFor(0, List.of(origin("id"), origin("name"), origin("ssn")))
                            .strategy(0))
                    .isEmpty();
        });
    }

    @Test
    void aShapeSettledByAFirstAnswerStandingForItsLineageIsReusedWithTheInputOfTheFirstQuestion() {
        RecordingEngine engine = new RecordingEngine(input -> new Decision.Mask(
                "test: mask ssn",
                Optional.empty(),
                Map.of("shop.customers.ssn", new Decision.MaskRule("null", Map.of())),
                Decision.Obligations.NONE,
                BY_DIGEST,
                Decision.LineageAsk.IF_MASKED_USES));
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, name, ssn FROM customers WHERE id = 1");

        GateResult second = check(gate, "SELECT id, name, ssn FROM customers WHERE id = 2");

        assertThat(engine.inputs).hasSize(1);
        assertThat(second).isInstanceOfSatisfying(GateResult.Proceed.class, proceed -> {
            assertThat(proceed.masking()
                            .planFor(0, List.of(origin("id"), origin("name"), origin("ssn")))
                            .strategy(2))
                    .isPresent();
            assertThat(proceed.inputs().text())
                    .singleElement()
                    .asString()
                    .contains("\"sql\":\"SELECT id, name, ssn FROM customers WHERE id = 2\"")
                    .doesNotContain("\"lineage\"");
        });
    }

    @Test
    void anOrderByPositionOfTheMaskedColumnIsDeniedAfterAnotherPositionWasSettled() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        assertThat(check(gate, "SELECT ssn, name FROM customers ORDER BY 2")).isInstanceOf(GateResult.Proceed.class);

        assertThat(check(gate, "SELECT ssn, name FROM customers ORDER BY 1")).isInstanceOf(GateResult.Refuse.class);
    }

    @Test
    void aGroupByPositionOfTheMaskedColumnIsDeniedAfterAnotherPositionWasSettled() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        assertThat(check(gate, "SELECT ssn, name FROM customers GROUP BY 2")).isInstanceOf(GateResult.Proceed.class);

        assertThat(check(gate, "SELECT ssn, name FROM customers GROUP BY 1")).isInstanceOf(GateResult.Refuse.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "(1)", "+(1)", "+ +1"})
    void aPositionWrittenWithAPlusOrParenthesesStillNamesTheMaskedColumn(String position) {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        assertThat(check(gate, "SELECT ssn, name FROM customers ORDER BY 2")).isInstanceOf(GateResult.Proceed.class);

        assertThat(check(gate, "SELECT ssn, name FROM customers ORDER BY " + position))
                .isInstanceOf(GateResult.Refuse.class);
    }

    @Test
    void anAnswerWithLineageCachedByTextIsNotReusedForAnotherLiteral() {
        RecordingEngine engine = maskingSsn(BY_TEXT);
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, ssn FROM customers WHERE id = 1");

        assertThat(traced(gate, "SELECT id, ssn FROM customers WHERE id = 2")).isTrue();
        assertThat(engine.inputs).hasSize(3); // the second statement's first answer came from the cache
    }

    @Test
    void aChangedCatalogTracesTheShapeAndAsksAgain() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, ssn FROM customers WHERE id = 1");
        catalogVersion.incrementAndGet();

        assertThat(traced(gate, "SELECT id, ssn FROM customers WHERE id = 2")).isTrue();
    }

    @Test
    void aStatementThroughAViewIsTracedEveryTime() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, name FROM customer_names WHERE id = 1");

        assertThat(traced(gate, "SELECT id, name FROM customer_names WHERE id = 2"))
                .isTrue();
    }

    @Test
    void aStatementWithAnEscapedStringDoesNotStandForItsShape() {
        RecordingEngine engine = maskingSsn(BY_DIGEST);
        StatementGate gate = gate(engine);
        check(gate, "SELECT id, ssn FROM customers WHERE name = 'O\\'Brien'");

        assertThat(traced(gate, "SELECT id, ssn FROM customers WHERE name = 'Smith'"))
                .isTrue();
    }

    private static ColumnOrigin origin(String column) {
        return new ColumnOrigin("shop", "customers", column);
    }
}
