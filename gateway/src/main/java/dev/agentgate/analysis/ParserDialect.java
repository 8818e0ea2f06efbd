package dev.agentgate.analysis;

import java.util.List;

/**
 * Rewrites MySQL spellings JSqlParser does not know into equivalent ones it does, before parsing only; the
 * facts keep the statement as sent. Today: the trailing {@code LOCK IN SHARE MODE} of older MySQL, which means
 * {@code FOR SHARE}.
 */
final class ParserDialect {

    private static final String[] LOCK_IN_SHARE_MODE = {"LOCK", "IN", "SHARE", "MODE"};

    private ParserDialect() {}

    static String adapt(StatementText statement) {
        List<SqlToken> tokens = statement.tokens();
        int first = tokens.size() - LOCK_IN_SHARE_MODE.length;
        if (first < 1) {
            return statement.effective();
        }
        for (int i = 0; i < LOCK_IN_SHARE_MODE.length; i++) {
            if (!tokens.get(first + i).isWord(LOCK_IN_SHARE_MODE[i])) {
                return statement.effective();
            }
        }
        // the effective text ends with the last token (trailing comments are blanked and stripped)
        int clauseLength =
                tokens.get(tokens.size() - 1).end() - tokens.get(first).start();
        String effective = statement.effective();
        return effective.substring(0, effective.length() - clauseLength) + "FOR SHARE";
    }
}
