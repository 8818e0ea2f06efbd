package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tokenizer that cuts SQL where MariaDB's lexer ({@code Lex_input_stream::lex_one_token} in sql/sql_lex.cc) cuts it,
 * in the session's {@link LexingMode}: whitespace is the ASCII set only (a Unicode space is part of an identifier),
 * digits are ASCII, {@code --} starts a comment only before a space or control character, {@code #} and {@code --}
 * comments end at a newline or NUL, strings honour NO_BACKSLASH_ESCAPES, double quotes quote identifiers under
 * ANSI_QUOTES, and versioned comments ({@code /*!50001 ... }{@code *}{@code /}, {@code /*M!100101 ...}) are executed
 * or skipped against the target's version exactly as the server decides. Executed content is tokenized between
 * {@code VERSIONED_OPEN} and {@code VERSIONED_CLOSE}; skipped ones are comments.
 *
 * <p>{@link #lex} also gives the text in canonical form: the same statement spelled so that it reads the same in the
 * {@link LexingMode#DEFAULT} mode (skipped versioned comments blanked, ANSI-quoted identifiers in backticks,
 * backslashes doubled under NO_BACKSLASH_ESCAPES), so everything after the lexer (parser, lineage, cache keys) reads
 * one spelling. What the lexer cannot read exactly as the server does (NUL bytes, unterminated literals, a versioned
 * comment it cannot decide) is reported as unreadable, to be refused rather than guessed at. Never fails.
 */
final class MySqlLexer {

    /** Tokens of {@code canonical}; {@code unreadable} is null when the server reads the text as these tokens. */
    record Lexed(String canonical, List<SqlToken> tokens, String unreadable) {}

    private static final String[] MULTI_CHAR_OPERATORS = {
        "<=>", "->>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->"
    };
    /** MariaDB ignores {@code /*!} comments for MySQL 5.7 and later (its own syntax may differ), but not {@code /*M!}. */
    private static final long MYSQL_57_FIRST = 50700;

    private static final long MYSQL_57_LAST = 99999;

    private final String sql;
    private final LexingMode mode;
    private final List<SqlToken> tokens = new ArrayList<>();
    private StringBuilder canonical;
    private int copied;
    private String unreadable;
    private int pos;
    private boolean inVersionedComment;
    private boolean identifierAfterDot;

    private MySqlLexer(String sql, LexingMode mode) {
        this.sql = sql;
        this.mode = mode;
    }

    /** The tokens in the {@link LexingMode#DEFAULT} mode. */
    static List<SqlToken> tokenize(String sql) {
        return lex(sql, LexingMode.DEFAULT).tokens();
    }

    static Lexed lex(String sql, LexingMode mode) {
        MySqlLexer lexer = new MySqlLexer(sql, mode);
        lexer.unreadable = mode.unreadableReason();
        if (lexer.unreadable == null) {
            lexer.unreadable = mode.unreadableText(sql);
        }
        lexer.run();
        if (lexer.canonical == null) {
            return new Lexed(sql, Collections.unmodifiableList(lexer.tokens), lexer.unreadable);
        }
        String canonical =
                lexer.canonical.append(sql, lexer.copied, sql.length()).toString();
        MySqlLexer again = new MySqlLexer(canonical, LexingMode.DEFAULT);
        again.run();
        return new Lexed(canonical, Collections.unmodifiableList(again.tokens), lexer.unreadable);
    }

    private void run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            int start = pos;
            if (isSpace(c)) {
                pos++;
            } else if (identifierAfterDot && isIdentifierChar(c)) {
                lexIdentifierChars(start); // t.1e5 names a column "1e5", as after any qualifier
            } else if (c == '#' || (c == '-' && startsLineComment())) {
                skipLineComment();
                add(SqlToken.Kind.COMMENT, start);
            } else if (c == '/' && sql.startsWith("/*", pos)) {
                lexBlockComment(start);
            } else if (c == '*' && inVersionedComment && sql.startsWith("*/", pos)) {
                inVersionedComment = false;
                pos += 2;
                add(SqlToken.Kind.VERSIONED_CLOSE, start);
            } else if (c == '\'' || (c == '"' && !mode.ansiQuotes())) {
                lexString(start, SqlToken.Kind.STRING);
            } else if (c == '`' || c == '"') {
                lexQuotedIdentifier(start, SqlToken.Kind.QUOTED_IDENTIFIER);
            } else if (c == '@') {
                lexVariable(start);
            } else if (isDigit(c)
                    || (c == '.' && pos + 1 < sql.length() && isDigit(sql.charAt(pos + 1)) && !followsUnquotedName())) {
                lexNumber(start);
            } else if (isIdentifierChar(c)) {
                lexWord(start);
            } else {
                lexPunctuation(c, start);
            }
        }
        if (inVersionedComment) {
            unreadable("an unterminated versioned comment");
        }
    }

    /** Whether an unquoted name ends right here: a dot after it separates a qualifier (t.5 is a name, not .5). */
    private boolean followsUnquotedName() {
        SqlToken previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        return previous != null && previous.kind() == SqlToken.Kind.WORD && previous.end() == pos;
    }

    /** MariaDB's ctype for the ASCII range: tab, newline, vertical tab, form feed, carriage return, space. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Letters, digits, {@code _}, {@code $} and every character beyond ASCII (a UTF-8 multi-byte character). */
    static boolean isIdentifierChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    private static boolean isControl(char c) {
        return c < ' ' || c == 0x7F;
    }

    private boolean startsLineComment() {
        if (!sql.startsWith("--", pos)) {
            return false;
        }
        return pos + 2 >= sql.length() || isSpace(sql.charAt(pos + 2)) || isControl(sql.charAt(pos + 2));
    }

    /** To the newline (or a NUL byte, which the server also stops at), not including it. */
    private void skipLineComment() {
        while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != 0) {
            pos++;
        }
    }

    private void lexBlockComment(int start) {
        boolean mariaDbSyntax = sql.startsWith("/*M!", pos);
        if (!mariaDbSyntax && !sql.startsWith("/*!", pos)) {
            pos += 2;
            skipCommentBody(false);
            add(SqlToken.Kind.COMMENT, start);
            return;
        }
        int digitsAt = pos + (mariaDbSyntax ? 4 : 3);
        int digits = versionDigits(digitsAt);
        if (!mode.mariaDb() && (mariaDbSyntax || digits > 0)) {
            unreadable("versioned comments are decided only for MariaDB targets");
        } else if (digits > 0 && mode.serverVersion() <= 0) {
            unreadable("the target's version is unknown, so a versioned comment cannot be decided");
        }
        if (digits > 0 && !executes(Long.parseLong(sql.substring(digitsAt, digitsAt + digits)), mariaDbSyntax)) {
            pos = digitsAt + digits;
            skipCommentBody(true);
            add(SqlToken.Kind.COMMENT, start);
            replace(start, pos, " ".repeat(pos - start)); // a comment to the server: a comment in the canonical text
            return;
        }
        pos = digitsAt + digits;
        inVersionedComment = true;
        add(SqlToken.Kind.VERSIONED_OPEN, start);
    }

    /** Five ASCII digits, or six when a sixth follows; 0 when there are not five. */
    private int versionDigits(int at) {
        for (int i = 0; i < 5; i++) {
            if (at + i >= sql.length() || !isDigit(sql.charAt(at + i))) {
                return 0;
            }
        }
        return at + 5 < sql.length() && isDigit(sql.charAt(at + 5)) ? 6 : 5;
    }

    private boolean executes(long version, boolean mariaDbSyntax) {
        if (mode.serverVersion() <= 0 || !mode.mariaDb()) {
            return true; // unreadable already: tokenize the content so the facts err on the side of more
        }
        return version <= mode.serverVersion()
                && (version < MYSQL_57_FIRST || version > MYSQL_57_LAST || mariaDbSyntax);
    }

    /**
     * After the opening marker, to the first {@code *}{@code /}. A skipped versioned comment may hold one level of
     * ordinary comment (MariaDB's {@code consume_comment(1)}); an ordinary comment nests nothing.
     */
    private void skipCommentBody(boolean oneNestedLevel) {
        while (pos < sql.length()) {
            if (oneNestedLevel && sql.startsWith("/*", pos)) {
                pos += 2;
                skipCommentBody(false);
                continue;
            }
            if (sql.startsWith("*/", pos)) {
                pos += 2;
                return;
            }
            pos++;
        }
        unreadable("an unterminated comment");
    }

    private void lexString(int start, SqlToken.Kind kind) {
        char quote = sql.charAt(pos);
        int bodyStart = pos + 1;
        boolean backslash = false;
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\\' && !mode.noBackslashEscapes()) {
                pos += 2;
            } else if (c == quote && pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                pos += 2;
            } else if (c == quote) {
                pos++;
                if (backslash) {
                    replace(
                            bodyStart,
                            pos - 1,
                            sql.substring(bodyStart, pos - 1).replace("\\", "\\\\"));
                }
                add(kind, start);
                return;
            } else {
                backslash |= c == '\\';
                pos++;
            }
        }
        pos = sql.length();
        unreadable("an unterminated string");
        add(kind, start);
    }

    /** {@code `name`}, or {@code "name"} under ANSI_QUOTES (canonically in backticks); doubling escapes the quote. */
    private void lexQuotedIdentifier(int start, SqlToken.Kind kind) {
        int quoteAt = pos;
        char quote = sql.charAt(pos);
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == 0) {
                unreadable("a NUL byte in a quoted identifier");
            }
            if (c == quote && pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                pos += 2;
            } else if (c == quote) {
                pos++;
                if (containsSupplementary(quoteAt + 1, pos - 1)) {
                    unreadable("a name with a character beyond U+FFFF"); // the server refuses it (names are utf8mb3)
                }
                if (quote == '"') {
                    String name = sql.substring(quoteAt + 1, pos - 1).replace("\"\"", "\"");
                    replace(quoteAt, pos, "`" + name.replace("`", "``") + "`");
                }
                add(kind, start);
                return;
            } else {
                pos++;
            }
        }
        unreadable("an unterminated quoted identifier");
        add(kind, start);
    }

    /**
     * {@code @name} ({@code [A-Za-z0-9._$]}, as the server reads a user or host name), {@code @'name'},
     * {@code @"name"}, {@code @`name`}, or {@code @@[scope.]name}.
     */
    private void lexVariable(int start) {
        boolean system = sql.startsWith("@@", pos);
        pos += system ? 2 : 1;
        char next = pos < sql.length() ? sql.charAt(pos) : ' ';
        if (!system && (next == '\'' || next == '"' || next == '`')) {
            if (next == '\'' || (next == '"' && !mode.ansiQuotes())) {
                lexString(start, SqlToken.Kind.USER_VARIABLE);
            } else {
                lexQuotedIdentifier(start, SqlToken.Kind.USER_VARIABLE);
            }
            return;
        }
        while (pos < sql.length() && isVariableChar(sql.charAt(pos))) {
            pos++;
        }
        if (pos < sql.length() && sql.charAt(pos) >= 0x80) {
            unreadable("a variable name beyond ASCII");
        }
        add(system ? SqlToken.Kind.SYSTEM_VARIABLE : SqlToken.Kind.USER_VARIABLE, start);
    }

    private static boolean isVariableChar(char c) {
        return (isIdentifierChar(c) && c < 0x80) || c == '.';
    }

    private void lexNumber(int start) {
        char c = sql.charAt(pos);
        if (c == '0' && pos + 1 < sql.length() && (sql.charAt(pos + 1) == 'x' || sql.charAt(pos + 1) == 'b')) {
            boolean hex = sql.charAt(pos + 1) == 'x';
            int end = pos + 2;
            while (end < sql.length()
                    && (hex ? isHexDigit(sql.charAt(end)) : sql.charAt(end) == '0' || sql.charAt(end) == '1')) {
                end++;
            }
            if (end - start >= 3 && (end >= sql.length() || !isIdentifierChar(sql.charAt(end)))) {
                pos = end;
                add(SqlToken.Kind.HEX_OR_BIT, start);
            } else {
                lexIdentifierChars(start); // 0x, 0xZZ, 0b12: identifiers
            }
            return;
        }
        if (c != '.') {
            skipDigits();
            if (pos < sql.length() && isIdentifierChar(sql.charAt(pos))) {
                if (!skipExponent()) {
                    lexIdentifierChars(start); // 1st_table, 1e, 123abc
                    return;
                }
                add(SqlToken.Kind.NUMBER, start);
                return;
            }
            if (pos >= sql.length()
                    || sql.charAt(pos) != '.'
                    || (pos + 1 < sql.length() && sql.charAt(pos + 1) == '.')) {
                add(SqlToken.Kind.NUMBER, start); // 1..10 is a range in a FOR loop
                return;
            }
        }
        pos++; // the decimal point
        skipDigits();
        if (!skipExponent() && pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
            unreadable("a malformed number"); // 1.5e without digits: the server's lexer returns a stray character
        }
        add(SqlToken.Kind.NUMBER, start);
    }

    /** An exponent at {@code pos} ({@code e5}, {@code E+5}, {@code e-5}): consumed, true; else nothing, false. */
    private boolean skipExponent() {
        if (pos >= sql.length() || (sql.charAt(pos) != 'e' && sql.charAt(pos) != 'E')) {
            return false;
        }
        int digitAt = pos + 1;
        if (digitAt < sql.length() && (sql.charAt(digitAt) == '+' || sql.charAt(digitAt) == '-')) {
            digitAt++;
        }
        if (digitAt >= sql.length() || !isDigit(sql.charAt(digitAt))) {
            return false;
        }
        pos = digitAt;
        skipDigits();
        return true;
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private void lexWord(int start) {
        skipIdentifierChars();
        boolean quoteFollows = pos < sql.length() && sql.charAt(pos) == '\'';
        int length = pos - start;
        char first = sql.charAt(start);
        if (quoteFollows && length == 1 && (first == 'x' || first == 'X' || first == 'b' || first == 'B')) {
            lexBinaryString(start, first == 'x' || first == 'X');
        } else if (quoteFollows && ((length == 1 && (first == 'n' || first == 'N')) || first == '_')) {
            lexString(start, SqlToken.Kind.STRING); // national string or charset introducer: one literal
        } else {
            if (containsSupplementary(start, pos)) {
                unreadable("a name with a character beyond U+FFFF"); // the server refuses it (names are utf8mb3)
            }
            add(SqlToken.Kind.WORD, start);
        }
    }

    /** X'4142' or B'0101': only digits of the base between the quotes, else the server refuses the statement. */
    private void lexBinaryString(int start, boolean hex) {
        pos++;
        while (pos < sql.length()
                && (hex ? isHexDigit(sql.charAt(pos)) : sql.charAt(pos) == '0' || sql.charAt(pos) == '1')) {
            pos++;
        }
        if (pos < sql.length() && sql.charAt(pos) == '\'') {
            pos++;
        } else {
            unreadable("a malformed " + (hex ? "hex" : "bit") + " literal");
        }
        add(SqlToken.Kind.HEX_OR_BIT, start);
    }

    private void lexIdentifierChars(int start) {
        pos = start;
        skipIdentifierChars();
        add(SqlToken.Kind.WORD, start);
    }

    private boolean isAscii(int from, int to) {
        for (int i = from; i < to; i++) {
            if (sql.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private boolean containsSupplementary(int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isSurrogate(sql.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private void lexPunctuation(char c, int start) {
        switch (c) {
            case '(' -> single(SqlToken.Kind.LEFT_PAREN, start);
            case ')' -> single(SqlToken.Kind.RIGHT_PAREN, start);
            case ',' -> single(SqlToken.Kind.COMMA, start);
            case '.' -> {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == '.' && !followsUnquotedName()) {
                    pos += 2; // MariaDB's DOT_DOT (FOR i IN 1..10)
                    add(SqlToken.Kind.OPERATOR, start);
                } else {
                    single(SqlToken.Kind.DOT, start);
                }
            }
            case ';' -> {
                if (inVersionedComment) {
                    unreadable("a semicolon inside a versioned comment");
                }
                single(SqlToken.Kind.SEMICOLON, start);
            }
            case '?' -> single(SqlToken.Kind.PLACEHOLDER, start);
            default -> {
                if (c == 0) {
                    unreadable("a NUL byte outside a string");
                } else if (isControl(c)) {
                    unreadable("a control character outside a string"); // a syntax error to the server
                } else if (sql.startsWith("*/", pos)) {
                    unreadable(
                            "a comment end outside a comment"); // two operators in a row: a syntax error to the server
                }
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
        while (pos < sql.length() && isDigit(sql.charAt(pos))) {
            pos++;
        }
    }

    private void skipIdentifierChars() {
        while (pos < sql.length() && isIdentifierChar(sql.charAt(pos))) {
            pos++;
        }
    }

    /** The canonical text has {@code replacement} where the source has {@code [start, end)}. */
    private void replace(int start, int end, String replacement) {
        if (canonical == null) {
            canonical = new StringBuilder(sql.length() + 16);
        }
        canonical.append(sql, copied, start).append(replacement);
        copied = end;
    }

    /** COUNT (x): the built-in under IGNORE_SPACE (written COUNT(x)), else a stored function (written `COUNT` (x)). */
    private void spacedFunctionName(int start) {
        int afterSpaces = SpaceSensitiveFunctions.afterSpaces(sql, pos);
        if (mode.ignoreSpace() && afterSpaces < sql.length() && sql.charAt(afterSpaces) == '(') {
            replace(pos, afterSpaces, "");
        } else if (SpaceSensitiveFunctions.parenthesisAfterGap(sql, pos)) {
            replace(start, pos, "`" + sql.substring(start, pos) + "`");
        }
    }

    private void unreadable(String reason) {
        if (unreadable == null) {
            unreadable = reason;
        }
    }

    private void add(SqlToken.Kind kind, int start) {
        SqlToken previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        if (kind == SqlToken.Kind.OPERATOR
                && pos - start == 1
                && sql.charAt(start) == '-'
                && previous != null
                && previous.end() == start
                && previous.is('-')) {
            replace(start, start, " "); // two minus signs to the server; a comment to JSqlParser unless apart
        } else if (kind == SqlToken.Kind.WORD && !isAscii(start, pos)) {
            replace(
                    start,
                    pos,
                    "`" + sql.substring(start, pos) + "`"); // JSqlParser takes some of its characters for spaces
        } else if (kind == SqlToken.Kind.WORD
                && (previous == null || previous.kind() != SqlToken.Kind.DOT)
                && SpaceSensitiveFunctions.isSpacedName(sql, start, pos)) {
            spacedFunctionName(start);
        }
        // an unquoted name glued to a dot and a name char qualifies what follows: that is a name, even 1e5
        identifierAfterDot = kind == SqlToken.Kind.DOT
                && previous != null
                && previous.kind() == SqlToken.Kind.WORD
                && previous.end() == start
                && pos < sql.length()
                && isIdentifierChar(sql.charAt(pos));
        tokens.add(new SqlToken(kind, sql, start, pos));
    }
}
