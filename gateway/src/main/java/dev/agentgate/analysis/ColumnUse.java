package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a column appears: projected, filtered on (WHERE/HAVING), grouped, ordered, joined on, written. */
public enum ColumnUse {
    SELECT,
    FILTER,
    GROUP,
    ORDER,
    JOIN,
    WRITE;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
