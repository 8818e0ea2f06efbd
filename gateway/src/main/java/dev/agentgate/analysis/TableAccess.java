package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a statement touches a table: reads rows, writes rows, or changes its definition (or privileges). */
public enum TableAccess {
    READ,
    WRITE,
    DDL;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
