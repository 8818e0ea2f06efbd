package dev.agentgate.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a statement reads the server's diagnostics area: SHOW WARNINGS, SHOW ERRORS, SHOW COUNT(*) WARNINGS|ERRORS,
 * GET DIAGNOSTICS, or the variables {@code @@warning_count} and {@code @@error_count} in any spelling. The number of
 * warnings a statement left tells whether it warned, and whether a statement over a masked value warns can depend
 * on the value (a result larger than {@code max_allowed_packet} becomes NULL with a warning), so a policy under
 * masking refuses these reads ({@link Feature#DIAGNOSTICS_READS}). Decided on tokens, which name the variables in
 * every spelling ({@code @@session.warning_count}, {@code @@`error_count`}): a false match only refuses more.
 */
final class DiagnosticsReads {

    private static final Set<String> COUNT_VARIABLES = Set.of("WARNING_COUNT", "ERROR_COUNT");

    /** How many tokens after {@code @@} may still name the variable: {@code @@ session . `warning_count`}. */
    private static final int VARIABLE_NAME_REACH = 4;

    private DiagnosticsReads() {}

    static boolean reads(List<SqlToken> tokens) {
        return isShowDiagnostics(tokens) || isGetDiagnostics(tokens) || readsCountVariable(tokens);
    }

    private static boolean isShowDiagnostics(List<SqlToken> tokens) {
        return tokens.size() >= 2
                && tokens.get(0).isWord("SHOW")
                && (tokens.get(1).isWord("WARNINGS")
                        || tokens.get(1).isWord("ERRORS")
                        || tokens.get(1).isWord("COUNT"));
    }

    private static boolean isGetDiagnostics(List<SqlToken> tokens) {
        return !tokens.isEmpty() && tokens.get(0).isWord("GET");
    }

    private static boolean readsCountVariable(List<SqlToken> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() != SqlToken.Kind.SYSTEM_VARIABLE) {
                continue;
            }
            if (namesCountVariable(tokens.get(i).text())) {
                return true;
            }
            for (int next = i + 1; next < Math.min(tokens.size(), i + 1 + VARIABLE_NAME_REACH); next++) {
                SqlToken token = tokens.get(next);
                if (token.isIdentifier() && namesCountVariable(token.identifier())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code @@warning_count}, {@code @@session.error_count}, {@code warning_count}: the last dotted part. */
    private static boolean namesCountVariable(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1).replace("@", "");
        return COUNT_VARIABLES.contains(last.toUpperCase(Locale.ROOT));
    }
}
