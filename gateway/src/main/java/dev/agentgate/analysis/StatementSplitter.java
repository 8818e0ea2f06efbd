package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-statement text at top-level semicolons, as the MySQL server does for a COM_QUERY with
 * CLIENT_MULTI_STATEMENTS: a semicolon inside a string, a backticked identifier or a comment is no separator;
 * a semicolon inside a versioned comment is one (MySQL executes that content). There is no DELIMITER on the
 * wire. Empty statements (only whitespace or comments) are dropped.
 */
final class StatementSplitter {

    private StatementSplitter() {
    }

    static List<StatementText> split(String sql) {
        List<SqlToken> tokens = MySqlLexer.tokenize(sql);
        String effective = blankVersionedMarkers(sql, tokens);
        List<StatementText> statements = new ArrayList<>();
        int segmentStart = 0;
        int firstToken = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            boolean end = i == tokens.size();
            if (end || tokens.get(i).kind() == SqlToken.Kind.SEMICOLON) {
                int segmentEnd = end ? sql.length() : tokens.get(i).start();
                addStatement(statements, sql, effective, tokens.subList(firstToken, i), segmentStart, segmentEnd);
                if (!end) {
                    segmentStart = tokens.get(i).end();
                    firstToken = i + 1;
                }
            }
        }
        return statements;
    }

    private static void addStatement(List<StatementText> statements, String sql, String effective,
                                     List<SqlToken> segment, int start, int end) {
        List<SqlToken> content = new ArrayList<>();
        boolean versioned = false;
        for (SqlToken token : segment) {
            if (isVersionedMarker(token)) {
                versioned = true;
            } else {
                content.add(token);
            }
        }
        if (!content.isEmpty()) {
            statements.add(new StatementText(sql.substring(start, end).strip(), effective.substring(start, end).strip(), content, versioned));
        }
    }

    /** Same length as the input, so offsets in both texts agree. */
    private static String blankVersionedMarkers(String sql, List<SqlToken> tokens) {
        StringBuilder effective = null;
        for (SqlToken token : tokens) {
            if (isVersionedMarker(token)) {
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

    private static boolean isVersionedMarker(SqlToken token) {
        return token.kind() == SqlToken.Kind.VERSIONED_OPEN || token.kind() == SqlToken.Kind.VERSIONED_CLOSE;
    }
}
