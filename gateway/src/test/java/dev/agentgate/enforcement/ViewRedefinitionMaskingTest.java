package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.PolicyFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A masking decision rests on the view definitions its lineage was traced with only once the server confirms them:
 * a view another client redefined since the catalog cached it is traced again with its new definition.
 */
class ViewRedefinitionMaskingTest {

    private static final Identity AGENT = PolicyFixtures.readOnlyAgent();
    private static final SessionFacts SESSION = PolicyFixtures.session("shop");
    private static final String NAMES = "SELECT id, name AS label FROM shop.customers";
    private static final String SSNS = "SELECT id, CONCAT(ssn, ' ', email) AS label FROM shop.customers";
    private static final List<ColumnOrigin> VIEW_COLUMN = List.of(new ColumnOrigin("shop", "nameplate", "label"));

    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private final ExecutorService analysisThreads = Executors.newFixedThreadPool(2);
    private final RedefinedView server = new RedefinedView();
    private final RecordingEngine engine = new RecordingEngine(input -> new Decision.Mask(
            "test: mask ssn",
            Optional.empty(),
            Map.of("shop.customers.ssn", new Decision.MaskRule("redact", Map.of())),
            Decision.Obligations.NONE,
            Decision.Caching.NEVER));
    private final StatementGate gate = new StatementGate(
            analyzer,
            engine,
            null,
            new PolicyInput(new ObjectMapper()),
            analysisThreads,
            server,
            new MaskingRules(null));

    @AfterEach
    void close() {
        analysisThreads.shutdownNow();
        analyzer.close();
    }

    @Test
    void aViewRedefinedSinceTheCatalogCachedItIsTracedAgainWithItsNewDefinition() {
        server.cached = NAMES;
        server.current = SSNS;

        GateResult.Proceed proceed =
                (GateResult.Proceed) gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT label FROM nameplate"))
                        .join();

        MaskPlan plan = proceed.masking().planFor(0, VIEW_COLUMN);
        assertThat(plan.strategy(0)).as("the new definition's ssn is masked").isPresent();
        assertThat(proceed.masking().viewsRead())
                .extracting(CatalogTable::viewDefinition)
                .containsExactly(SSNS);
        assertThat(engine.inputs
                        .get(1)
                        .at("/statement/lineage/columns/0/sources")
                        .toString())
                .contains("shop.customers.ssn");
    }

    @Test
    void anUnchangedViewIsTracedOnceAndItsDefinitionKeptForLaterExecutes() {
        server.cached = NAMES;
        server.current = NAMES;

        GateResult.Proceed proceed =
                (GateResult.Proceed) gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT label FROM nameplate"))
                        .join();

        assertThat(proceed.masking().planFor(0, VIEW_COLUMN).isEmpty()).isTrue();
        assertThat(proceed.masking().viewsRead())
                .extracting(CatalogTable::viewDefinition)
                .containsExactly(NAMES);
        assertThat(server.checks).isEqualTo(1);
    }

    @Test
    void aViewThatChangesAtEveryLookMasksTheWholeResult() {
        server.cached = NAMES;
        server.current = NAMES;
        server.changesAtEveryCheck = true;

        GateResult.Proceed proceed =
                (GateResult.Proceed) gate.check(AGENT, SESSION, PolicyQuestion.query("SELECT label FROM nameplate"))
                        .join();

        assertThat(proceed.masking().planFor(0, VIEW_COLUMN).strategy(0)).isPresent();
        assertThat(engine.inputs
                        .get(1)
                        .at("/statement/lineage/incomplete_reason")
                        .asText())
                .contains("redefined");
    }

    @Test
    void anExecuteMayReuseItsPreparesMaskingWhileTheViewsItRestsOnAreUnchanged() {
        server.cached = NAMES;
        server.current = NAMES;
        CatalogTable view = server.view(NAMES);

        assertThat(gate.recheckViews(SESSION, Set.of(view)).join())
                .isInstanceOfSatisfying(
                        GateResult.Proceed.class,
                        proceed -> assertThat(proceed.masking().masksAnything()).isFalse());
    }

    @Test
    void anExecuteIsRefusedOnceAViewItsPrepareRestsOnWasRedefined() {
        CatalogTable prepared = server.view(NAMES);
        server.current = SSNS;

        assertThat(gate.recheckViews(SESSION, Set.of(prepared)).join())
                .isInstanceOfSatisfying(
                        GateResult.Refuse.class,
                        refuse -> assertThat(refuse.message())
                                .isEqualTo("Access denied by agentgate: view shop.nameplate was redefined since"
                                        + " this statement was prepared; prepare it again"));
    }

    /** A target whose view shop.nameplate the catalog caches as {@link #cached} while the server defines {@link #current}. */
    private static final class RedefinedView implements TargetCatalogs {
        volatile String cached;
        volatile String current;
        volatile boolean changesAtEveryCheck;
        volatile int checks;

        CatalogTable view(String definition) {
            return CatalogTable.view("shop", "nameplate", List.of("id", "label"), definition);
        }

        @Override
        public Catalog of(String target) {
            return InMemoryCatalog.builder()
                    .table("shop", "customers", "id", "name", "ssn", "email")
                    .view("shop", "nameplate", cached, "id", "label")
                    .build();
        }

        @Override
        public void invalidate(String target, Set<String> schemas) {}

        @Override
        public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
            checks++;
            if (changesAtEveryCheck) {
                current = current.equals(NAMES) ? SSNS : NAMES;
            }
            List<CatalogTable> changed = new ArrayList<>();
            for (CatalogTable view : views) {
                if (!view.viewDefinition().equals(current)) {
                    changed.add(view);
                }
            }
            cached = current; // the catalog forgets the schema of a changed view and reads it anew
            return Set.copyOf(changed);
        }
    }
}
