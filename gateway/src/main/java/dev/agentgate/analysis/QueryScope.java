package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The names visible in one query block: base tables by alias or name, derived tables and CTEs (which are
 * not base tables), and select-list aliases. Lookups fall back to the enclosing block, as a correlated
 * subquery does in MySQL. Names compare case-insensitively, as aliases do in MySQL.
 */
final class QueryScope {

    /** A base table in scope; {@code schema} already resolved against the current database. */
    record BaseTable(String schema, String name) {}

    /** Where an unresolvable column is attributed. */
    static final BaseTable UNKNOWN = new BaseTable(null, null);

    private final QueryScope parent;
    private final String currentDatabase;
    private final Set<String> cteNames;
    private final Map<String, BaseTable> byName = new HashMap<>();
    private final Set<String> derivedNames = new HashSet<>();
    private final List<BaseTable> baseTables = new ArrayList<>();
    private final Set<String> selectAliases = new HashSet<>();

    private QueryScope(QueryScope parent, String currentDatabase, Set<String> cteNames) {
        this.parent = parent;
        this.currentDatabase = currentDatabase;
        this.cteNames = cteNames;
    }

    static QueryScope root(String currentDatabase) {
        return new QueryScope(null, currentDatabase, new HashSet<>());
    }

    /** A nested query block; it sees the CTEs and tables of this one. */
    QueryScope child() {
        return new QueryScope(this, currentDatabase, new HashSet<>(cteNames));
    }

    void defineCte(String name) {
        cteNames.add(key(name));
    }

    /** Whether an unqualified table name refers to a CTE rather than a base table. */
    boolean isCte(String schema, String name) {
        return schema == null && cteNames.contains(key(name));
    }

    BaseTable resolveTable(String schema, String name) {
        return new BaseTable(schema != null ? schema : currentDatabase, name);
    }

    void addBaseTable(BaseTable table, String alias) {
        baseTables.add(table);
        byName.put(key(alias != null ? alias : table.name()), table);
    }

    void addDerived(String alias) {
        if (alias != null) {
            derivedNames.add(key(alias));
        }
    }

    void addSelectAlias(String alias) {
        selectAliases.add(key(alias));
    }

    boolean isSelectAlias(String name) {
        return selectAliases.contains(key(name));
    }

    List<BaseTable> baseTables() {
        return List.copyOf(baseTables);
    }

    /** The table a qualified column's qualifier names, searching outward; UNKNOWN for derived tables. */
    BaseTable resolveQualifier(String schema, String qualifier) {
        if (schema != null) {
            return new BaseTable(schema, qualifier);
        }
        for (QueryScope scope = this; scope != null; scope = scope.parent) {
            BaseTable table = scope.byName.get(key(qualifier));
            if (table != null) {
                return table;
            }
            if (scope.derivedNames.contains(key(qualifier)) || scope.cteNames.contains(key(qualifier))) {
                return UNKNOWN;
            }
        }
        return UNKNOWN;
    }

    /** An unqualified column belongs to the only source of the innermost block that has sources. */
    BaseTable resolveUnqualified() {
        for (QueryScope scope = this; scope != null; scope = scope.parent) {
            int sources = scope.baseTables.size() + scope.derivedNames.size();
            if (sources == 1 && scope.baseTables.size() == 1) {
                return scope.baseTables.get(0);
            }
            if (sources > 0) {
                return UNKNOWN;
            }
        }
        return UNKNOWN;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
