package dev.agentgate.analysis;

import java.util.List;

/**
 * One statement cut out of a multi-statement text.
 *
 * @param sql       the statement as the client sent it (trimmed, without the separating semicolon)
 * @param effective the statement as MySQL executes it: versioned-comment markers blanked out, content kept
 * @param tokens    the tokens of {@code effective} (no versioned-comment markers)
 * @param versioned whether the statement contained a versioned comment
 */
record StatementText(String sql, String effective, List<SqlToken> tokens, boolean versioned) {

    StatementText {
        tokens = List.copyOf(tokens);
    }

    boolean startsWith(String keyword) {
        return !tokens.isEmpty() && tokens.get(0).isWord(keyword);
    }
}
