package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-statement text at top-level semicolons, as the MySQL server does for a COM_QUERY with
 * CLIENT_MULTI_STATEMENTS: a semicolon inside a string, a backticked identifier or a comment is no separator;
 * a semicolon inside a versioned comment is one (MySQL executes that content). There is no DELIMITER on the
 * wire: the server reads a stored program's BEGIN ... END body as part of its CREATE statement, so semicolons
 * inside it do not split either. Empty statements (only whitespace or comments) are dropped.
 */
final class StatementSplitter {

    /** Enough tokens to see past CREATE DEFINER=... to the object kind. */
    private static final int CLASSIFY_LOOKAHEAD = 24;

    private StatementSplitter() {}

    static List<StatementText> split(String sql) {
        return split(sql, MySqlLexer.tokenize(sql));
    }

    /** @param tokens {@code sql} as {@link MySqlLexer#tokenize} gives it */
    static List<StatementText> split(String sql, List<SqlToken> tokens) {
        String effective = blankHidden(sql, tokens);
        List<StatementText> statements = new ArrayList<>();
        int segmentStart = 0;
        int firstToken = 0;
        int blockDepth = 0;
        boolean compound = false;
        for (int i = 0; i <= tokens.size(); i++) {
            boolean end = i == tokens.size();
            SqlToken token = end ? null : tokens.get(i);
            if (!end && i == firstContentToken(tokens, firstToken)) {
                compound = isCompound(tokens.subList(i, Math.min(tokens.size(), i + CLASSIFY_LOOKAHEAD)));
            }
            if (compound && !end) {
                blockDepth += blockDelta(tokens, i);
            }
            if (end || (token.kind() == SqlToken.Kind.SEMICOLON && blockDepth <= 0)) {
                int segmentEnd = end ? sql.length() : token.start();
                addStatement(statements, sql, effective, tokens.subList(firstToken, i), segmentStart, segmentEnd);
                if (!end) {
                    segmentStart = token.end();
                    firstToken = i + 1;
                    blockDepth = 0;
                    compound = false;
                }
            }
        }
        return statements;
    }

    private static int firstContentToken(List<SqlToken> tokens, int from) {
        int i = from;
        while (i < tokens.size() && isHidden(tokens.get(i))) {
            i++;
        }
        return i;
    }

    /** Stored programs and MariaDB's BEGIN NOT ATOMIC may hold a BEGIN ... END body with semicolons. */
    private static boolean isCompound(List<SqlToken> head) {
        if (!mayBeCompound(head)) {
            return false;
        }
        List<SqlToken> content = head.stream().filter(t -> !isHidden(t)).toList();
        return switch (StatementClassifier.classify(content)) {
            case CREATE_PROCEDURE, CREATE_FUNCTION, CREATE_TRIGGER, CREATE_EVENT, ALTER_EVENT -> true;
            case OTHER ->
                content.size() > 1
                        && content.get(0).isWord("BEGIN")
                        && content.get(1).isWord("NOT");
            default -> false;
        };
    }

    /**
     * Whether the first word (after any parentheses, as the classifier reads it) is CREATE, ALTER or BEGIN: only
     * those start a compound statement. Most statements are told apart by this alone, without a token copy.
     */
    private static boolean mayBeCompound(List<SqlToken> head) {
        for (SqlToken token : head) {
            if (!isHidden(token) && token.kind() != SqlToken.Kind.LEFT_PAREN) {
                return token.isWord("CREATE") || token.isWord("ALTER") || token.isWord("BEGIN");
            }
        }
        return false;
    }

    /**
     * BEGIN and CASE open a block; END closes one, except END IF / END LOOP / END WHILE / END REPEAT, whose
     * openers are not counted (an IF may also be the IF() function). END CASE and a CASE expression's END
     * both close the CASE that was counted.
     */
    private static int blockDelta(List<SqlToken> tokens, int i) {
        SqlToken token = tokens.get(i);
        if (token.isWord("BEGIN") || token.isWord("CASE")) {
            return 1;
        }
        if (token.isWord("END")) {
            SqlToken next = nextContent(tokens, i + 1);
            boolean closesUncounted = next != null
                    && (next.isWord("IF") || next.isWord("LOOP") || next.isWord("WHILE") || next.isWord("REPEAT"));
            return closesUncounted ? 0 : -1;
        }
        return 0;
    }

    private static SqlToken nextContent(List<SqlToken> tokens, int from) {
        int i = firstContentToken(tokens, from);
        return i < tokens.size() ? tokens.get(i) : null;
    }

    private static void addStatement(
            List<StatementText> statements, String sql, String effective, List<SqlToken> segment, int start, int end) {
        List<SqlToken> content = new ArrayList<>();
        boolean versioned = false;
        for (SqlToken token : segment) {
            versioned |= isVersionedMarker(token);
            if (!isHidden(token)) {
                content.add(token);
            }
        }
        if (!content.isEmpty()) {
            statements.add(new StatementText(
                    sql.substring(start, end).strip(),
                    effective.substring(start, end).strip(),
                    content,
                    versioned));
        }
    }

    /**
     * The text the parser gets: comments and versioned-comment markers blanked (JSqlParser knows no '#'
     * comments and would skip a versioned comment's content). Same length as the input, so offsets agree.
     */
    private static String blankHidden(String sql, List<SqlToken> tokens) {
        StringBuilder effective = null;
        for (SqlToken token : tokens) {
            if (isHidden(token)) {
                if (effective == null) {
                    effective = new StringBuilder(sql);
                }
                for (int i = token.start(); i < token.end(); i++) {
                    effective.setCharAt(i, ' ');
                }
            }
        }
        return effective == null ? sql : effective.toString();
    }

    private static boolean isHidden(SqlToken token) {
        return isVersionedMarker(token) || token.kind() == SqlToken.Kind.COMMENT;
    }

    private static boolean isVersionedMarker(SqlToken token) {
        return token.kind() == SqlToken.Kind.VERSIONED_OPEN || token.kind() == SqlToken.Kind.VERSIONED_CLOSE;
    }
}
