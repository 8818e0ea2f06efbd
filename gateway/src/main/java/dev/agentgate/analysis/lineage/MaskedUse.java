package dev.agentgate.analysis.lineage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a masked column leaks other than as an output column. */
public enum MaskedUse {
    /** WHERE or HAVING, also of a DELETE/UPDATE: rows found reveal the value; a condition inside a value
     * (IF/CASE conditions, comparisons, NULLIF, STRCMP, FIELD, ...): its outcome reveals the value. */
    FILTER,
    /** GROUP BY or a window's PARTITION BY; SELECT DISTINCT, COUNT(DISTINCT ...), UNION (not ALL), INTERSECT,
     * EXCEPT: the number of rows left reveals how the values compare. */
    GROUP,
    /** ORDER BY, also a window's ORDER BY: the order reveals the value. */
    ORDER,
    /** JOIN ... ON / USING. */
    JOIN,
    /** Copied where masking does not follow: INSERT ... SELECT, CREATE TABLE ... AS SELECT, UPDATE ... SET,
     * SELECT ... INTO @var / OUTFILE / DUMPFILE, SET @var = ..., @var := ... */
    COPY,
    /** SQL text built or run out of sight: PREPARE FROM a variable, EXECUTE IMMEDIATE, CALL of a procedure, a call
     * of a stored function (any function that is not built in). */
    DYNAMIC_SQL,
    /** A new view, trigger, event or stored program over a masked table. */
    DEFINITION,
    /** Where the server may echo the value in an error or warning: a conversion to a number or date (CAST,
     * arithmetic: "Truncated incorrect DOUBLE value: '...'"), EXTRACTVALUE/UPDATEXML ("XPATH syntax error: '...'"). */
    ERROR_CHANNEL,
    /** On its way into a value, met anything but a total function ({@link TotalFunctions}): a function that can
     * fail, warn, select or search by the value (LOCATE, ELT, COALESCE, CASE, CAST, arithmetic, ...), or a construct
     * the analysis does not know. */
    COMPUTATION,
    /** Written: a masked column is the target of INSERT/REPLACE/UPDATE/ON DUPLICATE KEY UPDATE. The rows changed
     * (MariaDB counts only rows whose value differs) or a duplicate-key error compare the old value with the new. */
    WRITE,
    /** Returned by INSERT/REPLACE/DELETE ... RETURNING. */
    RETURNING;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
