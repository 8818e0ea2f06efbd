package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The masking of a SHOW WARNINGS or SHOW ERRORS after a masked response: a warning or error message can quote a
 * masked value ({@code Truncated incorrect INTEGER value: '123-45-6789'}), so the Message column is withheld while
 * Level and Code stay. SHOW COUNT(*) WARNINGS answers only a number and keeps it.
 */
public final class WithheldDiagnostics implements ResponseMasking {

    public static final WithheldDiagnostics MASKING = new WithheldDiagnostics();

    static final String WITHHELD_TEXT = "message withheld by agentgate (an earlier statement read masked columns)";

    /** Whitespace or a comment between two words. */
    private static final String GAP = "(?:\\s|/\\*.*?\\*/|#[^\\n]*\\n|--\\s[^\\n]*\\n)";
    /**
     * SHOW [COUNT(*)] WARNINGS|ERRORS anywhere in the text, with whitespace or comments between the words. Found by
     * this case-insensitive pattern rather than by the analysis: a false match only withholds more.
     */
    private static final Pattern DIAGNOSTICS_STATEMENT = Pattern.compile("\\bSHOW" + GAP + "+(?:COUNT" + GAP + "*\\("
            + GAP + "*\\*" + GAP + "*\\)" + GAP + "*)?(?:WARNINGS|ERRORS)\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** SHOW WARNINGS and SHOW ERRORS answer Level, Code, Message. */
    private static final int COLUMNS = 3;
    private static final int MESSAGE_COLUMN = 2;

    private static final MaskingStrategy WITHHELD = MaskingStrategies.builtInWithoutHash()
            .create(MaskingStrategies.REDACT, Map.of("text", WITHHELD_TEXT));

    private static final MaskPlan MESSAGE_WITHHELD = MaskPlan.builder().mask(MESSAGE_COLUMN, WITHHELD).build();

    private WithheldDiagnostics() {
    }

    /** Whether the query text runs SHOW WARNINGS, SHOW ERRORS or SHOW COUNT(*) WARNINGS|ERRORS. */
    public static boolean isDiagnosticsQuery(String sql) {
        return DIAGNOSTICS_STATEMENT.matcher(sql).find();
    }

    @Override
    public boolean masksAnything() {
        return true;
    }

    @Override
    public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
        return columns.size() == COLUMNS ? MESSAGE_WITHHELD : MaskPlan.none();
    }

    @Override
    public String toString() {
        return "WithheldDiagnostics";
    }
}
