package dev.agentgate.analysis.lineage;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a value is derived from: a set of source columns, and whether something else it depends on could not
 * be traced ({@code unknown}: a user variable, a table missing from the catalog, an unparsed subquery). An
 * unknown value may carry any source, so whoever masks must treat it as carrying every masked column.
 *
 * @param opaque whether it is unknown for a reason other than user variables, i.e. it may come from a table
 *               column the analysis cannot see (a view whose definition is not visible, a table missing from the
 *               catalog). A user variable is unknown but not opaque: under masking no statement that puts a masked
 *               value into one is allowed (copies are refused), so using its value reveals none; its value in a
 *               result is still masked.
 */
public record ColumnSources(Set<SourceColumn> columns, boolean unknown, boolean opaque) {

    /** A value derived from no column: a literal, NOW(), COUNT(*). */
    public static final ColumnSources NONE = new ColumnSources(Set.of(), false);
    /** A value whose derivation could not be established. */
    public static final ColumnSources UNKNOWN = new ColumnSources(Set.of(), true);
    /** The value of a user variable: unknown, not opaque. */
    public static final ColumnSources USER_VARIABLE = new ColumnSources(Set.of(), true, false);

    public ColumnSources {
        columns = java.util.Collections.unmodifiableSet(new TreeSet<>(columns));
        if (opaque && !unknown) {
            throw new IllegalArgumentException("an opaque value is an unknown one");
        }
    }

    /** Sources that, when unknown, are opaque. */
    public ColumnSources(Set<SourceColumn> columns, boolean unknown) {
        this(columns, unknown, unknown);
    }

    public static ColumnSources of(SourceColumn column) {
        return new ColumnSources(Set.of(column), false);
    }

    public ColumnSources union(ColumnSources other) {
        if (other.columns.isEmpty() && (unknown || !other.unknown) && (opaque || !other.opaque)) {
            return this;
        }
        Set<SourceColumn> all = new TreeSet<>(columns);
        all.addAll(other.columns);
        return new ColumnSources(all, unknown || other.unknown, opaque || other.opaque);
    }

    public static ColumnSources unionOf(Collection<ColumnSources> parts) {
        ColumnSources all = NONE;
        for (ColumnSources part : parts) {
            all = all.union(part);
        }
        return all;
    }
}
