package dev.agentgate.analysis.lineage;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Function;

/**
 * The allow-list of the only functions a masked value may pass through on its way into a result column (which is
 * then masked): those that MariaDB evaluates for any string without an error, without a warning that depends on
 * the value, and at a cost that does not depend on the value beyond its length. Everything else a masked value
 * meets (a function not listed, an operator, CASE, CAST, a comparison) is a {@link MaskedUse#COMPUTATION}.
 *
 * <p>Why each one is listed (MariaDB 10.6 to 11.x): CONCAT, CONCAT_WS, UPPER/UCASE, LOWER/LCASE, LTRIM, RTRIM,
 * REVERSE, QUOTE, HEX, TO_BASE64, MD5, SHA1/SHA, CRC32 and the LENGTH family read their string argument as a whole
 * and return a string or a number: no conversion of the value to a number or a date (the source of "Truncated
 * incorrect ... value" warnings), no branch on it. MIN, MAX and COUNT compare or count the values without
 * converting them. LEFT, RIGHT, SUBSTRING/SUBSTR/MID, LPAD, RPAD and SHA2 are total in their first argument only: a
 * masked value in a position or length argument is converted to an integer (a warning quoting it), so only the first
 * argument may carry one. A result larger than {@code max_allowed_packet} becomes NULL with a warning, which for
 * these depends on the length of the value only (NULL is masked like any value, warnings are not shown under
 * masking). Not listed, on purpose: REPLACE (the size of its result and the time it takes depend on how often the
 * searched text occurs in the value: {@code REPLACE(ssn, '7', <10 MB>)}), COALESCE, IFNULL, NULLIF, IF, ELT, FIELD,
 * LOCATE, INSTR, FIND_IN_SET, CASE (they select or search by the value: the result, its NULL-ness or the time taken
 * depends on it), CAST/CONVERT and arithmetic (conversion warnings), GROUP_CONCAT (warning 1260 when the values are
 * too long), REPEAT, SPACE, and every JSON, XML, regular-expression, date and numeric function.
 */
final class TotalFunctions {

    /** Which arguments of a total function may carry a masked value. */
    enum Arguments {
        ALL,
        FIRST
    }

    private static final Map<String, Arguments> TOTAL = Map.ofEntries(
            Map.entry("CONCAT", Arguments.ALL),
            Map.entry("CONCAT_WS", Arguments.ALL),
            Map.entry("UPPER", Arguments.ALL),
            Map.entry("UCASE", Arguments.ALL),
            Map.entry("LOWER", Arguments.ALL),
            Map.entry("LCASE", Arguments.ALL),
            Map.entry("LTRIM", Arguments.ALL),
            Map.entry("RTRIM", Arguments.ALL),
            Map.entry("REVERSE", Arguments.ALL),
            Map.entry("QUOTE", Arguments.ALL),
            Map.entry("HEX", Arguments.ALL),
            Map.entry("TO_BASE64", Arguments.ALL),
            Map.entry("MD5", Arguments.ALL),
            Map.entry("SHA1", Arguments.ALL),
            Map.entry("SHA", Arguments.ALL),
            Map.entry("CRC32", Arguments.ALL),
            Map.entry("LENGTH", Arguments.ALL),
            Map.entry("CHAR_LENGTH", Arguments.ALL),
            Map.entry("CHARACTER_LENGTH", Arguments.ALL),
            Map.entry("OCTET_LENGTH", Arguments.ALL),
            Map.entry("BIT_LENGTH", Arguments.ALL),
            Map.entry("MIN", Arguments.ALL),
            Map.entry("MAX", Arguments.ALL),
            Map.entry("COUNT", Arguments.ALL),
            Map.entry("LEFT", Arguments.FIRST),
            Map.entry("RIGHT", Arguments.FIRST),
            Map.entry("SUBSTRING", Arguments.FIRST),
            Map.entry("SUBSTR", Arguments.FIRST),
            Map.entry("MID", Arguments.FIRST),
            Map.entry("LPAD", Arguments.FIRST),
            Map.entry("RPAD", Arguments.FIRST),
            Map.entry("SHA2", Arguments.FIRST));

    private TotalFunctions() {}

    /**
     * Whether a masked value may pass through argument {@code index} (from 0) of the call: the function is a
     * built-in on the list, called plainly (no DISTINCT, ORDER BY, KEEP or other clause JSqlParser keeps aside).
     */
    static boolean accepts(Function function, int index) {
        Arguments arguments = arguments(function);
        return arguments == Arguments.ALL || arguments == Arguments.FIRST && index == 0;
    }

    /** Whether the call is of a function on the list, called plainly. */
    static boolean isTotal(Function function) {
        return arguments(function) != null;
    }

    private static Arguments arguments(Function function) {
        List<String> parts = function.getMultipartName();
        if (parts == null
                || parts.size() != 1
                || !BuiltinFunctions.isBuiltin(function)
                || function.isDistinct()
                || function.getOrderByElements() != null
                || function.getKeep() != null
                || function.getAttribute() != null
                || function.getLimit() != null
                || function.getHavingClause() != null
                || function.getExtraKeyword() != null
                || function.getOnOverflowTruncate() != null
                || function.getNullHandling() != null
                || function.isAllColumns() && !"COUNT".equalsIgnoreCase(parts.get(0))) {
            return null;
        }
        return TOTAL.get(parts.get(0).toUpperCase(Locale.ROOT));
    }
}
