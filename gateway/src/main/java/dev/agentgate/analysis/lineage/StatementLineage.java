package dev.agentgate.analysis.lineage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * The lineage of one statement: its output columns and the uses of masked columns that are not output.
 *
 * @param sql              the statement as sent
 * @param columns          the output columns in order; when {@code complete} is false only a prefix of them may
 *                         be known (possibly none)
 * @param complete         whether every output column is listed; when false {@link #sourcesOf} answers UNKNOWN
 *                         for positions past the list
 * @param incompleteReason why the list is incomplete (parse failure, a table missing from the catalog, ...), else null
 * @param maskedUses       masked columns used in ways that leak without being output columns
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"sql", "columns", "complete", "incomplete_reason", "masked_uses", "diagnostics"})
public record StatementLineage(
        String sql,
        List<OutputColumn> columns,
        boolean complete,
        String incompleteReason,
        List<MaskedColumnUse> maskedUses) {

    /** The value of {@link #diagnostics()}. */
    public static final String DIAGNOSTICS_WITHHELD = "withheld";

    public StatementLineage {
        Objects.requireNonNull(sql, "sql must not be null");
        columns = List.copyOf(columns);
        maskedUses = List.copyOf(maskedUses);
        if (complete == (incompleteReason != null)) {
            throw new IllegalArgumentException("an incomplete lineage needs a reason and a complete one none");
        }
    }

    /**
     * What the client learns of the server's errors and warnings about a masked statement: always {@code withheld}
     * (one generic error, syntax or run time; no warning codes or messages), so that a policy need not refuse what
     * could only leak through them.
     */
    @JsonProperty("diagnostics")
    public String diagnostics() {
        return DIAGNOSTICS_WITHHELD;
    }

    /** The sources of the result set's column at {@code index}; UNKNOWN where the lineage does not reach. */
    public ColumnSources sourcesOf(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("column index must not be negative, was " + index);
        }
        return index < columns.size() ? columns.get(index).lineage() : ColumnSources.UNKNOWN;
    }

    /** Whether any output column may carry a column the patterns mask (unknown columns always may). */
    @JsonIgnore
    public boolean carriesAny(MaskedColumns masked) {
        return !complete || columns.stream().anyMatch(column -> masked.carries(column.lineage()));
    }
}
