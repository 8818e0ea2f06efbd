package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Risky or notable constructs a policy may want to see, serialised in lower case. */
public enum Feature {
    INTO_OUTFILE,
    INTO_DUMPFILE,
    INTO_VARIABLES,
    LOAD_FILE,
    LOAD_DATA_LOCAL,
    SLEEP,
    BENCHMARK,
    LOCK_FUNCTIONS,
    USER_VARIABLES,
    SYSTEM_VARIABLES,
    VERSIONED_COMMENT,
    MULTIPLE_STATEMENTS,
    EXPLAIN_ANALYZE,
    /** SHOW WARNINGS / ERRORS / COUNT(*) WARNINGS, GET DIAGNOSTICS, {@code @@warning_count}, {@code @@error_count}. */
    DIAGNOSTICS_READS;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
