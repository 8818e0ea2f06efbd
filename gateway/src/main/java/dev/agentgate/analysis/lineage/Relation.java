package dev.agentgate.analysis.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The columns a query block, table, view or CTE yields, with the lineage of each. When {@code complete} is
 * false only a prefix of the columns is known (an unknown table: none).
 */
record Relation(List<Column> columns, boolean complete) {

    /** A named column with its lineage. */
    record Column(String name, ColumnSources sources) {}

    /** A relation nothing is known of. */
    static final Relation OPAQUE = new Relation(List.of(), false);

    Relation {
        columns = List.copyOf(columns);
    }

    /** The lineage of the column(s) called {@code name} (ignoring case, as MySQL does), if there are any. */
    Optional<ColumnSources> column(String name) {
        ColumnSources found = null;
        for (Column column : columns) {
            if (column.name().equalsIgnoreCase(name)) {
                found = found == null ? column.sources() : found.union(column.sources());
            }
        }
        return Optional.ofNullable(found);
    }

    /** The same lineage under the names of a column list ({@code AS d(a, b)}, a CTE's or a view's columns). */
    Relation renamed(List<String> names) {
        if (names == null || names.isEmpty()) {
            return this;
        }
        if (complete && names.size() != columns.size()) {
            return OPAQUE; // the server would refuse it; do not guess which column is which
        }
        List<Column> renamed = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            renamed.add(
                    new Column(names.get(i), i < columns.size() ? columns.get(i).sources() : ColumnSources.UNKNOWN));
        }
        return new Relation(renamed, true);
    }

    /** Per position, the union of both relations' lineage (UNION / INTERSECT / EXCEPT); names from this one. */
    Relation unionByPosition(Relation other) {
        boolean sameWidth = complete && other.complete && columns.size() == other.columns.size();
        int width = Math.min(columns.size(), other.columns.size());
        List<Column> merged = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            merged.add(new Column(
                    columns.get(i).name(),
                    columns.get(i).sources().union(other.columns.get(i).sources())));
        }
        return new Relation(merged, sameWidth);
    }

    ColumnSources allSources() {
        ColumnSources all = complete ? ColumnSources.NONE : ColumnSources.UNKNOWN;
        for (Column column : columns) {
            all = all.union(column.sources());
        }
        return all;
    }
}
