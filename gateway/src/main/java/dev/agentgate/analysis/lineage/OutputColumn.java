package dev.agentgate.analysis.lineage;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;
import java.util.Set;

/**
 * One column of a statement's result set, in the order the client receives them.
 *
 * @param name    the column name the client will most likely see (alias, column name, else the expression text);
 *                informative only: columns are matched by position
 * @param sources the source columns the value is derived from
 * @param unknown true when the derivation could not be fully established: mask it whenever masking is in play
 */
@JsonPropertyOrder({"name", "sources", "unknown"})
public record OutputColumn(String name, Set<SourceColumn> sources, boolean unknown) {

    public OutputColumn {
        Objects.requireNonNull(name, "output column name must not be null");
        sources = new ColumnSources(sources, unknown).columns();
    }

    static OutputColumn of(String name, ColumnSources lineage) {
        return new OutputColumn(name, lineage.columns(), lineage.unknown());
    }

    public ColumnSources lineage() {
        return new ColumnSources(sources, unknown);
    }
}
