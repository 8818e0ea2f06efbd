package dev.agentgate.analysis.lineage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** A column of a base table, the origin of a value: {@code schema.table.column}. Names as the catalog spells them. */
public record SourceColumn(String schema, String table, String column) implements Comparable<SourceColumn> {

    public SourceColumn {
        Objects.requireNonNull(schema, "source column schema must not be null");
        Objects.requireNonNull(table, "source column table must not be null");
        Objects.requireNonNull(column, "source column name must not be null");
    }

    @JsonValue
    public String qualifiedName() {
        return schema + "." + table + "." + column;
    }

    @Override
    public int compareTo(SourceColumn other) {
        return qualifiedName().compareTo(other.qualifiedName());
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
