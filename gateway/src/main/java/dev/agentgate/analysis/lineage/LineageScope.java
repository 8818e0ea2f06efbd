package dev.agentgate.analysis.lineage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names visible in one query block: its FROM sources (by alias, or by schema and table name), the CTEs
 * in force, the select-list aliases and outputs (for GROUP BY / HAVING / ORDER BY). Unresolved names are
 * looked up in the enclosing block, as a correlated subquery does.
 */
final class LineageScope {

    /** A FROM source: a base table or view (schema and table set), a CTE or a derived table. */
    record Source(String alias, String schema, String table, Relation relation) {}

    private final LineageScope parent;
    private final Map<String, Relation> ctes;
    private final List<Source> sources = new ArrayList<>();
    private final Map<String, ColumnSources> selectAliases = new HashMap<>();
    private final List<ColumnSources> outputs = new ArrayList<>();

    private LineageScope(LineageScope parent, Map<String, Relation> ctes) {
        this.parent = parent;
        this.ctes = ctes;
    }

    static LineageScope root() {
        return new LineageScope(null, new HashMap<>());
    }

    /** A nested block: it sees this block's names and CTEs; CTEs it defines stay its own. */
    LineageScope child() {
        return new LineageScope(this, new HashMap<>(ctes));
    }

    void defineCte(String name, Relation relation) {
        ctes.put(key(name), relation);
    }

    Optional<Relation> cte(String name) {
        return Optional.ofNullable(ctes.get(key(name)));
    }

    void addSource(Source source) {
        sources.add(source);
    }

    List<Source> sources() {
        return sources;
    }

    void addOutput(String alias, ColumnSources lineage) {
        outputs.add(lineage);
        if (alias != null) {
            selectAliases.merge(key(alias), lineage, ColumnSources::union);
        }
    }

    /** The lineage of select-list output {@code position} (1-based, as in ORDER BY 2), if it exists. */
    Optional<ColumnSources> output(int position) {
        return position >= 1 && position <= outputs.size() ? Optional.of(outputs.get(position - 1)) : Optional.empty();
    }

    Optional<ColumnSources> selectAlias(String name) {
        return Optional.ofNullable(selectAliases.get(key(name)));
    }

    /**
     * An unqualified column: the union over this block's sources that have it; when none has it, a source
     * of unknown columns may (UNKNOWN), else the enclosing block is asked. Empty when no block knows it.
     */
    Optional<ColumnSources> resolve(String name) {
        ColumnSources found = null;
        boolean opaqueSource = false;
        for (Source source : sources) {
            Optional<ColumnSources> column = source.relation().column(name);
            if (column.isPresent()) {
                found = found == null ? column.get() : found.union(column.get());
            }
            opaqueSource |= !source.relation().complete();
        }
        if (found != null) {
            return Optional.of(opaqueSource ? found.union(ColumnSources.UNKNOWN) : found);
        }
        if (opaqueSource) {
            return Optional.of(ColumnSources.UNKNOWN);
        }
        return parent != null ? parent.resolve(name) : Optional.empty();
    }

    /** {@code qualifier.name} or {@code schema.qualifier.name}, searching outward for the qualifier. */
    Optional<ColumnSources> resolve(String schema, String qualifier, String name) {
        return source(schema, qualifier)
                .map(source -> source.relation().column(name).orElse(ColumnSources.UNKNOWN));
    }

    /** The source a qualifier names in this block or an enclosing one. */
    Optional<Source> source(String schema, String qualifier) {
        for (LineageScope scope = this; scope != null; scope = scope.parent) {
            for (Source source : scope.sources) {
                if (schema == null
                        ? qualifier.equalsIgnoreCase(source.alias())
                        : schema.equalsIgnoreCase(source.schema())
                                && qualifier.equalsIgnoreCase(source.table())
                                && source.table().equalsIgnoreCase(source.alias())) {
                    return Optional.of(source);
                }
            }
        }
        return Optional.empty();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
