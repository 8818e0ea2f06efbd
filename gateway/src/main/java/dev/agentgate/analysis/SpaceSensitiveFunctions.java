package dev.agentgate.analysis;

import java.util.Set;

/**
 * The built-in functions MariaDB recognises only when {@code (} follows their name directly ({@code sql_functions}
 * in sql/lex.h: COUNT, MAX, SUBSTRING, TRIM, CAST, ...). With anything between the name and the parenthesis (a space,
 * a comment) the name is an identifier and the call goes to a stored function of that name in the default schema
 * ({@code COUNT (ssn)} calls {@code shop.count}); under {@code IGNORE_SPACE} spaces (not comments) may come between.
 * JSqlParser reads every such spelling as the built-in, so the lexer writes the name in backticks where the server
 * calls a stored function, and drops the spaces where {@code IGNORE_SPACE} lets the server call the built-in: the
 * canonical text then reads the same to JSqlParser, to the server in any mode, and to the lineage.
 */
final class SpaceSensitiveFunctions {

    /** Checked against MariaDB 10.11: {@code SELECT name (1)} answers 1305 (FUNCTION name does not exist) for each. */
    private static final Set<String> NAMES = Set.of(
            "ADDDATE",
            "BIT_AND",
            "BIT_OR",
            "BIT_XOR",
            "CAST",
            "COUNT",
            "CUME_DIST",
            "CURDATE",
            "CURTIME",
            "DATE_ADD",
            "DATE_SUB",
            "DENSE_RANK",
            "EXTRACT",
            "FIRST_VALUE",
            "GROUP_CONCAT",
            "JSON_ARRAYAGG",
            "JSON_OBJECTAGG",
            "LAG",
            "LEAD",
            "MAX",
            "MEDIAN",
            "MID",
            "MIN",
            "NOW",
            "NTH_VALUE",
            "NTILE",
            "PERCENT_RANK",
            "PERCENTILE_CONT",
            "PERCENTILE_DISC",
            "POSITION",
            "RANK",
            "SESSION_USER",
            "STD",
            "STDDEV",
            "STDDEV_POP",
            "STDDEV_SAMP",
            "SUBDATE",
            "SUBSTR",
            "SUBSTRING",
            "SUM",
            "SYSTEM_USER",
            "TRIM",
            "TRIM_ORACLE",
            "VARIANCE",
            "VAR_POP",
            "VAR_SAMP");

    private static final int SHORTEST = 3;
    private static final int LONGEST = 15;

    /** The names by their length: the lexer asks about nearly every word, so a look-up must not copy it. */
    private static final String[][] NAMES_BY_LENGTH = new String[LONGEST + 1][];

    static {
        for (int length = 0; length <= LONGEST; length++) {
            int of = length;
            NAMES_BY_LENGTH[length] =
                    NAMES.stream().filter(name -> name.length() == of).toArray(String[]::new);
        }
    }

    private SpaceSensitiveFunctions() {}

    /** Names the set of all names, for tests that check it against the server. */
    static Set<String> names() {
        return NAMES;
    }

    /** Whether {@code sql[start, end)} is one of the names and something other than {@code (} follows it. */
    static boolean isSpacedName(String sql, int start, int end) {
        int length = end - start;
        if (length < SHORTEST || length > LONGEST || end >= sql.length() || sql.charAt(end) == '(') {
            return false;
        }
        // The lexer asks only about ASCII words (others are quoted as names), whose case regionMatches reads as
        // toUpperCase does.
        for (String name : NAMES_BY_LENGTH[length]) {
            if (sql.regionMatches(true, start, name, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /** Where the first character other than an ASCII space is, from {@code from}. */
    static int afterSpaces(String sql, int from) {
        int at = from;
        while (at < sql.length() && MySqlLexer.isSpace(sql.charAt(at))) {
            at++;
        }
        return at;
    }

    /**
     * Whether {@code (} comes next after spaces and comments of any kind (of a versioned comment only its opening
     * is skipped, its content may be the parenthesis). Errs towards true: a stored function call is refused under
     * masking, a built-in taken for one only runs as the server would have it.
     */
    static boolean parenthesisAfterGap(String sql, int from) {
        int at = afterSpaces(sql, from);
        while (at < sql.length()) {
            if (sql.startsWith("/*!", at) || sql.startsWith("/*M!", at)) {
                at += sql.charAt(at + 2) == 'M' ? 4 : 3;
                while (at < sql.length() && MySqlLexer.isDigit(sql.charAt(at))) {
                    at++;
                }
            } else if (sql.startsWith("/*", at)) {
                int close = sql.indexOf("*/", at + 2);
                at = close < 0 ? sql.length() : close + 2;
            } else if (sql.charAt(at) == '#' || sql.startsWith("--", at)) {
                int newline = sql.indexOf('\n', at);
                at = newline < 0 ? sql.length() : newline + 1;
            } else {
                return sql.charAt(at) == '(';
            }
            at = afterSpaces(sql, at);
        }
        return false;
    }
}
