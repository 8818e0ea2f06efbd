package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tokenizer for MySQL's lexical structure: strings in both quote styles with backslash and doubled-quote
 * escapes, backticked identifiers, {@code #}, {@code -- } and block comments, numbers, hex and bit literals,
 * variables. Versioned comments ({@code /*!50001 ... }{@code *}{@code /}) are not skipped: MySQL executes
 * their content, so it is tokenized too, between {@code VERSIONED_OPEN} and {@code VERSIONED_CLOSE}.
 * Whitespace produces no tokens; comments produce COMMENT tokens, which the splitter drops. Never fails: unterminated constructs run to the end.
 * JSqlParser's own token manager is not used because it fails on the very input this must survive.
 */
final class MySqlLexer {

    private static final String[] MULTI_CHAR_OPERATORS = {"<=>", "->>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->"};

    private final String sql;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int pos;
    private boolean inVersionedComment;

    private MySqlLexer(String sql) {
        this.sql = sql;
    }

    static List<SqlToken> tokenize(String sql) {
        MySqlLexer lexer = new MySqlLexer(sql);
        lexer.run();
        return Collections.unmodifiableList(lexer.tokens); // the lexer is gone: no copy needed to keep them fixed
    }

    private void run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            int start = pos;
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || (c == '-' && startsLineComment())) {
                skipToEndOfLine();
                add(SqlToken.Kind.COMMENT, start);
            } else if (c == '/' && (sql.startsWith("/*!", pos) || sql.startsWith("/*M!", pos))) {
                openVersionedComment(start);
            } else if (c == '/' && sql.startsWith("/*", pos)) {
                int close = sql.indexOf("*/", pos + 2);
                pos = close < 0 ? sql.length() : close + 2;
                add(SqlToken.Kind.COMMENT, start);
            } else if (c == '*' && inVersionedComment && sql.startsWith("*/", pos)) {
                inVersionedComment = false;
                pos += 2;
                add(SqlToken.Kind.VERSIONED_CLOSE, start);
            } else if (c == '\'' || c == '"') {
                skipQuoted(c);
                add(SqlToken.Kind.STRING, start);
            } else if (c == '`') {
                skipQuoted('`');
                add(SqlToken.Kind.QUOTED_IDENTIFIER, start);
            } else if (c == '@') {
                lexVariable(start);
            } else if (Character.isDigit(c) || (c == '.' && nextIsDigit() && !previousIsIdentifier())) {
                lexNumberOrWord(start);
            } else if (isWordChar(c)) {
                lexWord(start);
            } else {
                lexPunctuation(c, start);
            }
        }
    }

    private boolean startsLineComment() {
        if (!sql.startsWith("--", pos)) {
            return false;
        }
        return pos + 2 >= sql.length() || Character.isWhitespace(sql.charAt(pos + 2)) || sql.charAt(pos + 2) < ' ';
    }

    private void skipToEndOfLine() {
        int newline = sql.indexOf('\n', pos);
        pos = newline < 0 ? sql.length() : newline + 1;
    }

    private void openVersionedComment(int start) {
        pos += sql.charAt(pos + 2) == 'M' ? 4 : 3;
        while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
            pos++;
        }
        inVersionedComment = true;
        add(SqlToken.Kind.VERSIONED_OPEN, start);
    }

    /** Skips a quoted string or identifier; backslash escapes apply to strings only, doubling to all. */
    private void skipQuoted(char quote) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\\' && quote != '`') {
                pos += 2;
            } else if (c == quote && pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                pos += 2;
            } else if (c == quote) {
                pos++;
                return;
            } else {
                pos++;
            }
        }
        pos = Math.min(pos, sql.length());
    }

    private void lexVariable(int start) {
        boolean system = sql.startsWith("@@", pos);
        pos += system ? 2 : 1;
        if (!system && pos < sql.length() && "'\"`".indexOf(sql.charAt(pos)) >= 0) {
            skipQuoted(sql.charAt(pos));
        } else {
            while (pos < sql.length() && (isWordChar(sql.charAt(pos)) || (system && sql.charAt(pos) == '.'))) {
                pos++;
            }
        }
        add(system ? SqlToken.Kind.SYSTEM_VARIABLE : SqlToken.Kind.USER_VARIABLE, start);
    }

    private void lexNumberOrWord(int start) {
        if (sql.startsWith("0x", pos) || sql.startsWith("0b", pos)) {
            pos += 2;
            skipWordChars();
            add(SqlToken.Kind.HEX_OR_BIT, start);
            return;
        }
        skipDigits();
        if (pos < sql.length() && sql.charAt(pos) == '.') {
            pos++;
            skipDigits();
        }
        if (pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E') && exponentFollows()) {
            pos += 2;
            skipDigits();
        }
        if (pos < sql.length() && isWordChar(sql.charAt(pos))) {
            skipWordChars(); // MySQL allows identifiers that start with digits, e.g. 1st_table
            add(SqlToken.Kind.WORD, start);
        } else {
            add(SqlToken.Kind.NUMBER, start);
        }
    }

    private boolean exponentFollows() {
        if (pos + 1 >= sql.length()) {
            return false;
        }
        char next = sql.charAt(pos + 1);
        return Character.isDigit(next) || ((next == '+' || next == '-') && pos + 2 < sql.length() && Character.isDigit(sql.charAt(pos + 2)));
    }

    private void lexWord(int start) {
        skipWordChars();
        boolean quoteFollows = pos < sql.length() && sql.charAt(pos) == '\'';
        String word = quoteFollows ? sql.substring(start, pos) : "";
        if (quoteFollows && (word.equalsIgnoreCase("x") || word.equalsIgnoreCase("b"))) {
            skipQuoted('\'');
            add(SqlToken.Kind.HEX_OR_BIT, start);
        } else if (quoteFollows && (word.equalsIgnoreCase("n") || word.startsWith("_"))) {
            skipQuoted('\''); // national string or charset introducer: one literal
            add(SqlToken.Kind.STRING, start);
        } else {
            add(SqlToken.Kind.WORD, start);
        }
    }

    private void lexPunctuation(char c, int start) {
        switch (c) {
            case '(' -> single(SqlToken.Kind.LEFT_PAREN, start);
            case ')' -> single(SqlToken.Kind.RIGHT_PAREN, start);
            case ',' -> single(SqlToken.Kind.COMMA, start);
            case '.' -> single(SqlToken.Kind.DOT, start);
            case ';' -> single(SqlToken.Kind.SEMICOLON, start);
            case '?' -> single(SqlToken.Kind.PLACEHOLDER, start);
            default -> {
                for (String operator : MULTI_CHAR_OPERATORS) {
                    if (sql.startsWith(operator, pos)) {
                        pos += operator.length();
                        add(SqlToken.Kind.OPERATOR, start);
                        return;
                    }
                }
                single(SqlToken.Kind.OPERATOR, start);
            }
        }
    }

    private void single(SqlToken.Kind kind, int start) {
        pos++;
        add(kind, start);
    }

    private void skipDigits() {
        while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
            pos++;
        }
    }

    private void skipWordChars() {
        while (pos < sql.length() && isWordChar(sql.charAt(pos))) {
            pos++;
        }
    }

    private boolean nextIsDigit() {
        return pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1));
    }

    private boolean previousIsIdentifier() {
        return !tokens.isEmpty() && tokens.get(tokens.size() - 1).end() == pos && tokens.get(tokens.size() - 1).isIdentifier();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    private void add(SqlToken.Kind kind, int start) {
        tokens.add(new SqlToken(kind, sql, start, pos));
    }
}
