package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A column a statement uses. {@code table} (and {@code schema}) are null when the column cannot be attributed
 * to one base table unambiguously. {@code uses} is de-duplicated and sorted in {@link ColumnUse} order.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"schema", "table", "name", "uses"})
public record ColumnRef(String schema, String table, String name, List<ColumnUse> uses) {

    public ColumnRef {
        Objects.requireNonNull(name, "column name must not be null");
        uses = Objects.requireNonNull(uses, "column uses must not be null").stream()
                .distinct()
                .sorted()
                .toList();
    }
}
