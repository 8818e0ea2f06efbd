package dev.agentgate.enforcement.masking;

import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.ColumnSources;
import dev.agentgate.analysis.lineage.SourceColumn;
import dev.agentgate.analysis.lineage.StatementLineage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The masking of one command's response, from the statements' decisions and column lineage. Result {@code r} is
 * statement {@code r}'s; once a statement that may answer with several results (a CALL, an unparsed statement)
 * has had its first result, every later result is masked whole, as is every result whose width differs from its
 * lineage or whose lineage is incomplete. Immutable; fails safe: a plan that cannot be made masks every column.
 *
 * <p>A column is masked when one of its sources matches a rule, when its sources are unknown, or when the
 * backend's origin of it ({@code schema.org_table.org_name}) matches a rule. A <em>direct</em> reference (exactly
 * one source, which its origin names) gets the matching rule's own strategy when exactly one rule matches, else
 * the first of {@code redact}, {@code null}, {@code hash} among them; its NULLs stay NULL (whether the column
 * itself is NULL is not hidden). A derived column or one of unknown origin gets the first of {@code redact},
 * {@code null} among the candidate rules (all rules for an unknown column), else {@code redact}: {@code partial}
 * of {@code REVERSE(ssn)} would show the hidden end, and {@code hash} of {@code LEFT(card_number, 4)} lets an
 * agent compare it with hashes of texts of its choice. Such a column masks NULL too ({@link
 * MaskingStrategies#hidingNull}): {@code IF(ssn LIKE '8%', NULL, 'x')} must not tell NULL apart.
 */
public final class LineageMasking implements ResponseMasking {

    private static final Logger log = LoggerFactory.getLogger(LineageMasking.class);
    private static final List<String> DIRECT_PREFERENCE =
            List.of(MaskingStrategies.REDACT, MaskingStrategies.NULL, MaskingStrategies.HASH);
    private static final List<String> DERIVED_PREFERENCE = List.of(MaskingStrategies.REDACT, MaskingStrategies.NULL);

    private final List<StatementMasks> statements;
    private final List<MaskingRule> allRules;
    private final int lastAttributableResult;
    private final MaskingStrategy defaultRedact;
    private final Set<CatalogTable> viewsRead;
    /**
     * Plans already made, by result and column origins: a settled statement shape reuses one instance for every
     * statement of that shape (and their results describe the same columns), so the per-column rule matching runs
     * once per shape, not once per response. The plan is a function of those two and this immutable instance.
     */
    private final Map<PlanKey, MaskPlan> plans = new ConcurrentHashMap<>();

    private record PlanKey(int resultIndex, List<ColumnOrigin> columns) {}

    private static final int MAX_REMEMBERED_PLANS = 16;

    /**
     * @param statements one per statement of the command, in order (may be empty for a command without SQL)
     * @param defaultRedact what a column gets when no candidate rule's strategy may be used
     */
    public LineageMasking(List<StatementMasks> statements, MaskingStrategy defaultRedact) {
        this(statements, defaultRedact, Set.of());
    }

    /** @param viewsRead the views the statements' lineage was traced through, as {@link #viewsRead()} */
    public LineageMasking(List<StatementMasks> statements, MaskingStrategy defaultRedact, Set<CatalogTable> viewsRead) {
        this.viewsRead = Set.copyOf(viewsRead);
        this.statements = List.copyOf(statements);
        this.defaultRedact = Objects.requireNonNull(defaultRedact, "defaultRedact");
        Set<MaskingRule> rules = new LinkedHashSet<>();
        int last = this.statements.size() - 1;
        for (int i = 0; i < this.statements.size(); i++) {
            rules.addAll(this.statements.get(i).rules());
            if (!this.statements.get(i).singleResult() && last == this.statements.size() - 1) {
                last = i;
            }
        }
        this.allRules = List.copyOf(rules);
        this.lastAttributableResult = last;
    }

    @Override
    public Set<CatalogTable> viewsRead() {
        return viewsRead;
    }

    @Override
    public boolean masksAnything() {
        return !allRules.isEmpty();
    }

    @Override
    public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
        PlanKey key = new PlanKey(resultIndex, List.copyOf(columns));
        MaskPlan remembered = plans.get(key);
        if (remembered != null) {
            return remembered;
        }
        MaskPlan plan = newPlan(resultIndex, key.columns());
        if (plans.size() < MAX_REMEMBERED_PLANS) {
            plans.putIfAbsent(key, plan);
        }
        return plan;
    }

    private MaskPlan newPlan(int resultIndex, List<ColumnOrigin> columns) {
        try {
            if (resultIndex > lastAttributableResult) {
                return whole(columns.size(), allRules);
            }
            StatementMasks statement = statements.get(resultIndex);
            if (statement.rules().isEmpty()) {
                return MaskPlan.none();
            }
            StatementLineage lineage = statement.lineage();
            if (lineage == null || !lineage.complete() || lineage.columns().size() != columns.size()) {
                return whole(columns.size(), statement.rules());
            }
            MaskPlan.Builder plan = MaskPlan.builder();
            for (int i = 0; i < columns.size(); i++) {
                MaskingStrategy strategy = strategyFor(lineage.sourcesOf(i), columns.get(i), statement.rules());
                if (strategy != null) {
                    plan.mask(i, strategy);
                }
            }
            return plan.build();
        } catch (RuntimeException unexpected) {
            log.error("masking plan for result {} failed; masking every column", resultIndex, unexpected);
            return whole(columns.size(), allRules);
        }
    }

    @Override
    public boolean tracesTo(int resultIndex, int column, ColumnOrigin origin) {
        if (resultIndex < 0 || resultIndex >= statements.size() || !origin.isTableColumn()) {
            return false;
        }
        StatementLineage lineage = statements.get(resultIndex).lineage();
        if (lineage == null || !lineage.complete()) {
            return false;
        }
        ColumnSources sources = lineage.sourcesOf(column);
        SourceColumn named = new SourceColumn(origin.schema(), origin.orgTable(), origin.orgName());
        return !sources.unknown() && sources.columns().stream().anyMatch(source -> sameColumn(source, named));
    }

    /** The strategy for one column, or null when it is not masked. */
    private MaskingStrategy strategyFor(ColumnSources sources, ColumnOrigin origin, List<MaskingRule> rules) {
        SourceColumn originColumn =
                origin.isTableColumn() ? new SourceColumn(origin.schema(), origin.orgTable(), origin.orgName()) : null;
        List<MaskingRule> candidates = new ArrayList<>();
        for (MaskingRule rule : rules) {
            if (sources.unknown()
                    || sources.columns().stream().anyMatch(rule::matches)
                    || originColumn != null && rule.matches(originColumn)) {
                candidates.add(rule);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        boolean direct = !sources.unknown()
                && sources.columns().size() == 1
                && originColumn != null
                && sameColumn(sources.columns().iterator().next(), originColumn);
        if (!direct) {
            return derivedChoice(candidates);
        }
        return candidates.size() == 1 ? candidates.get(0).strategy() : safeChoice(candidates, DIRECT_PREFERENCE);
    }

    private static boolean sameColumn(SourceColumn a, SourceColumn b) {
        return a.schema().equalsIgnoreCase(b.schema())
                && a.table().equalsIgnoreCase(b.table())
                && a.column().equalsIgnoreCase(b.column());
    }

    /** The first of {@code preference} among {@code candidates}' strategies, else the default redact. */
    private MaskingStrategy safeChoice(List<MaskingRule> candidates, List<String> preference) {
        for (String preferred : preference) {
            for (MaskingRule rule : candidates) {
                if (rule.strategyName().equals(preferred)) {
                    return rule.strategy();
                }
            }
        }
        return defaultRedact;
    }

    /** A derived or unknown column's strategy: redact > null, never hash; it masks NULL too. */
    private MaskingStrategy derivedChoice(List<MaskingRule> candidates) {
        return MaskingStrategies.hidingNull(safeChoice(candidates, DERIVED_PREFERENCE));
    }

    private MaskPlan whole(int columnCount, List<MaskingRule> rules) {
        MaskingStrategy strategy = derivedChoice(rules);
        MaskPlan.Builder plan = MaskPlan.builder();
        for (int i = 0; i < columnCount; i++) {
            plan.mask(i, strategy);
        }
        return plan.build();
    }

    @Override
    public String toString() {
        return "LineageMasking" + allRules;
    }
}
