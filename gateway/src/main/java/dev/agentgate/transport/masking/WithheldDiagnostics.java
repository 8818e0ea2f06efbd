package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a client learns of the server's diagnostics about a masked statement. A message can quote a masked value
 * ({@code Truncated incorrect INTEGER value: '123-45-6789'}) and a code can tell which branch ran ({@code
 * ELT(LOCATE('7', ssn), (subquery of 2 rows))} fails with 1242 or not), so:
 * <ul>
 * <li>a backend error becomes one of two generic errors ({@link #genericError}): {@code 1064} (42000) when the
 * server could not parse the statement (parsing never reads data), else {@code 1105} (HY000), message withheld;</li>
 * <li>a SHOW WARNINGS or SHOW ERRORS after a masked response withholds Code (it reads {@value #WITHHELD_CODE}) and
 * Message; Level stays. SHOW COUNT(*) WARNINGS answers only a number and keeps it.</li>
 * </ul>
 */
public final class WithheldDiagnostics implements ResponseMasking {

    public static final WithheldDiagnostics MASKING = new WithheldDiagnostics();

    static final String WITHHELD_TEXT = "message withheld by agentgate (an earlier statement read masked columns)";
    /** The code every withheld warning or error of SHOW WARNINGS / SHOW ERRORS reads. */
    static final String WITHHELD_CODE = "1105";

    static final String MALFORMED_MESSAGE = "syntax error: the server could not parse the statement"
            + " (details withheld by agentgate: the statement reads masked columns)";
    static final String FAILED_MESSAGE =
            "the statement failed at run time" + " (error withheld by agentgate: the statement reads masked columns)";

    /** Whitespace or a comment between two words. */
    private static final String GAP = "(?:\\s|/\\*.*?\\*/|#[^\\n]*\\n|--\\s[^\\n]*\\n)";
    /**
     * SHOW [COUNT(*)] WARNINGS|ERRORS anywhere in the text, with whitespace or comments between the words. Found by
     * this case-insensitive pattern rather than by the analysis: a false match only withholds more.
     */
    private static final Pattern DIAGNOSTICS_STATEMENT = Pattern.compile(
            "\\bSHOW" + GAP + "+(?:COUNT" + GAP + "*\\(" + GAP + "*\\*" + GAP + "*\\)" + GAP
                    + "*)?(?:WARNINGS|ERRORS)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** SHOW WARNINGS and SHOW ERRORS answer Level, Code, Message. */
    private static final int COLUMNS = 3;

    private static final int CODE_COLUMN = 1;
    private static final int MESSAGE_COLUMN = 2;

    private static final MaskPlan CODE_AND_MESSAGE_WITHHELD = MaskPlan.builder()
            .mask(CODE_COLUMN, redacted(WITHHELD_CODE))
            .mask(MESSAGE_COLUMN, redacted(WITHHELD_TEXT))
            .build();

    private WithheldDiagnostics() {}

    private static MaskingStrategy redacted(String text) {
        return MaskingStrategies.builtInWithoutHash().create(MaskingStrategies.REDACT, Map.of("text", text));
    }

    /**
     * The error a client gets instead of {@code error} from a statement under masking: whether the server could not
     * parse it (1064 class: parsing reads no data) or it failed at run time, nothing else.
     */
    static ErrPacket genericError(ErrPacket error) {
        int code = error.errorCode();
        boolean malformed = code == MySQLErrorCode.ER_PARSE_ERROR.code()
                || code == MySQLErrorCode.ER_SYNTAX_ERROR.code()
                || code == MySQLErrorCode.ER_EMPTY_QUERY.code();
        MySQLErrorCode generic = malformed ? MySQLErrorCode.ER_PARSE_ERROR : MySQLErrorCode.ER_UNKNOWN_ERROR;
        return new ErrPacket(generic.code(), generic.sqlState(), malformed ? MALFORMED_MESSAGE : FAILED_MESSAGE);
    }

    /** Whether the query text runs SHOW WARNINGS, SHOW ERRORS or SHOW COUNT(*) WARNINGS|ERRORS. */
    public static boolean isDiagnosticsQuery(String sql) {
        return mentionsShow(sql) && DIAGNOSTICS_STATEMENT.matcher(sql).find();
    }

    /**
     * Whether SHOW appears in any case: without it the pattern cannot match, and this runs for every query of a
     * session that masked. Exactly as generous as the pattern, which reads only ASCII letters case-insensitively.
     */
    private static boolean mentionsShow(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            if ((sql.charAt(i) | 0x20) == 's' && sql.regionMatches(true, i, "SHOW", 0, "SHOW".length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean masksAnything() {
        return true;
    }

    @Override
    public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
        return columns.size() == COLUMNS ? CODE_AND_MESSAGE_WITHHELD : MaskPlan.none();
    }

    @Override
    public String toString() {
        return "WithheldDiagnostics";
    }
}
