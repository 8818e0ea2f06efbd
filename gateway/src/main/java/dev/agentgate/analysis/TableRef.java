package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A table a statement touches. {@code schema} is the qualifier as written, else the session's current
 * database (null when there is none).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"schema", "name", "access"})
public record TableRef(String schema, String name, TableAccess access) {

    public TableRef {
        Objects.requireNonNull(name, "table name must not be null");
        Objects.requireNonNull(access, "table access must not be null");
    }
}
