package dev.agentgate.analysis.lineage;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a value is derived from: a set of source columns, and whether something else it depends on could not
 * be traced ({@code unknown}: a user variable, a table missing from the catalog, an unparsed subquery). An
 * unknown value may carry any source, so whoever masks must treat it as carrying every masked column.
 */
public record ColumnSources(Set<SourceColumn> columns, boolean unknown) {

    /** A value derived from no column: a literal, NOW(), COUNT(*). */
    public static final ColumnSources NONE = new ColumnSources(Set.of(), false);
    /** A value whose derivation could not be established. */
    public static final ColumnSources UNKNOWN = new ColumnSources(Set.of(), true);

    public ColumnSources {
        columns = java.util.Collections.unmodifiableSet(new TreeSet<>(columns));
    }

    public static ColumnSources of(SourceColumn column) {
        return new ColumnSources(Set.of(column), false);
    }

    public ColumnSources union(ColumnSources other) {
        if (other.columns.isEmpty() && (unknown || !other.unknown)) {
            return this;
        }
        Set<SourceColumn> all = new TreeSet<>(columns);
        all.addAll(other.columns);
        return new ColumnSources(all, unknown || other.unknown);
    }

    public static ColumnSources unionOf(Collection<ColumnSources> parts) {
        ColumnSources all = NONE;
        for (ColumnSources part : parts) {
            all = all.union(part);
        }
        return all;
    }
}
