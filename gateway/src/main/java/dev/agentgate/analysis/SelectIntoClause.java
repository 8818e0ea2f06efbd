package dev.agentgate.analysis;

import java.util.List;
import java.util.Set;

/**
 * Cuts MySQL's {@code SELECT ... INTO @v / OUTFILE 'f' / DUMPFILE 'f'} clause out of a SELECT so that JSqlParser
 * can parse the query; the clause itself is kept as text. The clause runs from a top-level INTO to the next
 * top-level clause keyword (it may stand before FROM or at the end).
 */
final class SelectIntoClause {

    private static final Set<String> CLAUSE_KEYWORDS = Set.of(
            "FROM",
            "WHERE",
            "GROUP",
            "HAVING",
            "ORDER",
            "LIMIT",
            "FOR",
            "LOCK",
            "UNION",
            "INTERSECT",
            "EXCEPT",
            "WINDOW");

    /** The text to parse (same length as the statement's effective text) and the INTO clause, or null. */
    record Cut(String query, String clause) {}

    private SelectIntoClause() {}

    static Cut cut(StatementText statement, String parserText) {
        List<SqlToken> tokens = statement.tokens();
        if (tokens.isEmpty() || StatementClassifier.classify(tokens) != StatementType.SELECT) {
            return new Cut(parserText, null);
        }
        int into = topLevelInto(tokens);
        if (into < 0) {
            return new Cut(parserText, null);
        }
        int end = into + 1;
        while (end < tokens.size() && !(depthAt(tokens, end) == 0 && isClauseKeyword(tokens.get(end)))) {
            end++;
        }
        // token offsets index the whole command; the statement's effective text starts at its first token
        int base = tokens.get(0).start();
        int from = tokens.get(into).start() - base;
        int to = (end < tokens.size()
                        ? tokens.get(end).start()
                        : tokens.get(tokens.size() - 1).end())
                - base;
        String effective = statement.effective();
        String clause = effective.substring(from, to).strip();
        return new Cut(effective.substring(0, from) + " ".repeat(to - from) + effective.substring(to), clause);
    }

    private static int topLevelInto(List<SqlToken> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            depth += depthChange(token);
            if (depth == 0 && token.isWord("INTO")) {
                return i;
            }
        }
        return -1;
    }

    private static int depthAt(List<SqlToken> tokens, int index) {
        int depth = 0;
        for (int i = 0; i <= index; i++) {
            depth += depthChange(tokens.get(i));
        }
        return depth;
    }

    private static int depthChange(SqlToken token) {
        return token.kind() == SqlToken.Kind.LEFT_PAREN ? 1 : token.kind() == SqlToken.Kind.RIGHT_PAREN ? -1 : 0;
    }

    private static boolean isClauseKeyword(SqlToken token) {
        return token.kind() == SqlToken.Kind.WORD
                && CLAUSE_KEYWORDS.contains(token.text().toUpperCase(java.util.Locale.ROOT));
    }
}
