package dev.agentgate.analysis.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One way a masked column leaks without being an output column; an entry of the policy input's
 * {@code masked_uses}.
 *
 * @param column the masked source column ({@code schema.table.column}); for a definition found by name only, the
 *               pattern that matched; null when the statement runs SQL that cannot be seen (dynamic SQL)
 * @param use    how it is used
 * @param detail a short human-readable explanation (clause, target), never a value
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"column", "use", "detail"})
public record MaskedColumnUse(String column, MaskedUse use, String detail) {

    public MaskedColumnUse {
        Objects.requireNonNull(use, "masked column use must not be null");
        Objects.requireNonNull(detail, "masked column use detail must not be null");
    }
}
