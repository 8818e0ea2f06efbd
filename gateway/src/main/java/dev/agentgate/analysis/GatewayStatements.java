package dev.agentgate.analysis;

import java.util.List;

/**
 * Finds, in the text of a COM_QUERY or COM_STMT_PREPARE, the statements the gateway must handle itself instead of
 * relaying them: {@code KILL} (its ids name gateway sessions, and every session shares one backend account) and
 * {@code LOAD DATA LOCAL} (the gateway never reads client files). Reads the statements as MariaDB does, with the
 * lexer and the splitter: comments, casing, versioned comments and multi-statements hide nothing. Dynamic SQL
 * ({@code PREPARE ... FROM}, {@code EXECUTE IMMEDIATE}, also in a stored program's body) is screened as the
 * statement it runs, which it can only be when that text is one plain string literal: any other text (a user
 * variable, {@code CONCAT(...)}, a hex literal) is refused, as is a {@code KILL} inside any other statement.
 */
public final class GatewayStatements {

    /** What the text holds. */
    public sealed interface Screen {
        /** Nothing the gateway handles itself: relay it under policy. */
        record Ordinary() implements Screen {}

        /** One plain {@code KILL [CONNECTION | QUERY] <number>} and nothing else. */
        record Kill(boolean queryOnly, long connectionId) implements Screen {}

        /** A statement the gateway refuses; {@code message} says why. */
        record Refused(Reason reason, String message) implements Screen {}
    }

    public enum Reason {
        LOAD_DATA_LOCAL,
        KILL_FORM,
        KILL_PREPARED,
        /** Dynamic SQL whose text is not a literal the gateway reads: it could run anything. */
        DYNAMIC_TEXT,
        /** The text mentions KILL, LOCAL or dynamic SQL and the gateway cannot read it exactly as the server does. */
        UNREADABLE
    }

    private static final Screen ORDINARY = new Screen.Ordinary();

    private GatewayStatements() {}

    /** {@link #screen(String, boolean, LexingMode)} in the {@link LexingMode#DEFAULT} mode. */
    public static Screen screen(String sql, boolean prepared) {
        return screen(sql, prepared, LexingMode.DEFAULT);
    }

    /**
     * @param prepared whether the text is prepared (COM_STMT_PREPARE): a KILL there would escape translation
     * @param lexing how the session's server reads SQL: the statements are cut where the server cuts them (under
     *     NO_BACKSLASH_ESCAPES, {@code 'a\'; KILL 5} is two statements), and text that mentions KILL or LOCAL but
     *     cannot be read exactly as the server reads it is refused
     */
    public static Screen screen(String sql, boolean prepared, LexingMode lexing) {
        if (!mentionsAny(sql)) {
            return ORDINARY; // none of these statements can be written without its keyword: skip the lexer for
            // almost every query
        }
        MySqlLexer.Lexed lexed = MySqlLexer.lex(sql, lexing);
        if (lexed.unreadable() != null) {
            return new Screen.Refused(
                    Reason.UNREADABLE,
                    "a statement that mentions KILL, LOCAL, PREPARE or IMMEDIATE must read the same to agentgate as to the server: "
                            + lexed.unreadable());
        }
        List<StatementText> statements = StatementSplitter.split(lexed.canonical(), lexed.tokens());
        for (int i = 0; i < statements.size(); i++) {
            StatementText statement = statements.get(i);
            Screen screen = screenOne(statement.tokens(), statements.size() > 1 || prepared, lexing);
            if (!(screen instanceof Screen.Ordinary)) {
                return screen;
            }
            if (LexingChanges.mayChange(statement, StatementClassifier.classify(statement.tokens()))
                    && statements.subList(i + 1, statements.size()).stream()
                            .anyMatch(rest -> mentionsAny(rest.sql()))) {
                // SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\'; KILL 5; -- ' is cut otherwise by the server
                return new Screen.Refused(
                        Reason.UNREADABLE,
                        "a statement that mentions KILL, LOCAL, PREPARE or IMMEDIATE after a SET, CALL or EXECUTE in"
                                + " the same batch cannot be read in advance (that statement may change how the"
                                + " server reads the rest): send it on its own");
            }
        }
        return ORDINARY;
    }

    private static Screen screenOne(List<SqlToken> tokens, boolean mustNotKill, LexingMode lexing) {
        StatementType type = StatementClassifier.classify(tokens);
        if (type == StatementType.LOAD_DATA && isLocal(tokens)) {
            return new Screen.Refused(
                    Reason.LOAD_DATA_LOCAL,
                    "LOAD DATA LOCAL INFILE is not allowed through agentgate: the gateway never reads client files");
        }
        if (type == StatementType.KILL) {
            return mustNotKill ? killInside("a multi-statement or a prepared statement") : plainKill(tokens);
        }
        if (containsKill(tokens)) {
            return killInside("another statement (a stored program, an event, a trigger)");
        }
        return screenDynamicText(tokens, lexing);
    }

    /** KILL is a reserved word: outside a KILL statement it is a statement of a compound body (or a t.kill column). */
    private static boolean containsKill(List<SqlToken> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isWord("KILL") && (i == 0 || tokens.get(i - 1).kind() != SqlToken.Kind.DOT)) {
                return true;
            }
        }
        return false;
    }

    /** LOCAL before INFILE (LOAD DATA [LOW_PRIORITY | CONCURRENT] [LOCAL] INFILE); without INFILE, anywhere. */
    private static boolean isLocal(List<SqlToken> tokens) {
        for (SqlToken token : tokens) {
            if (token.isWord("INFILE")) {
                return false;
            }
            if (token.isWord("LOCAL")) {
                return true;
            }
        }
        return false;
    }

    /** KILL [CONNECTION | QUERY] digits: MariaDB also takes HARD/SOFT, QUERY ID, USER and expressions, which are refused. */
    private static Screen plainKill(List<SqlToken> tokens) {
        int at = 1;
        boolean queryOnly = false;
        if (tokens.size() == 3
                && (tokens.get(1).isWord("CONNECTION") || tokens.get(1).isWord("QUERY"))) {
            queryOnly = tokens.get(1).isWord("QUERY");
            at = 2;
        }
        if (tokens.size() != at + 1 || !tokens.get(0).isWord("KILL") || !isDecimal(tokens.get(at))) {
            return new Screen.Refused(
                    Reason.KILL_FORM,
                    "only a single KILL [CONNECTION | QUERY] <connection id> statement is supported through agentgate");
        }
        return new Screen.Kill(queryOnly, Long.parseLong(tokens.get(at).text()));
    }

    private static boolean isDecimal(SqlToken token) {
        String text = token.text();
        if (token.kind() != SqlToken.Kind.NUMBER || text.isEmpty() || text.length() > 18) {
            return false;
        }
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** PREPARE s FROM 'text' and EXECUTE IMMEDIATE 'text' run their text: judge it as if it were sent. */
    private static Screen screenDynamicText(List<SqlToken> tokens, LexingMode lexing) {
        DynamicSql.Found found = DynamicSql.in(tokens, lexing);
        if (found.hidden() != null) {
            return new Screen.Refused(
                    Reason.DYNAMIC_TEXT,
                    found.hidden() + " is not supported through agentgate: the gateway must read the statement it"
                            + " runs, so write its text as one string literal, e.g. PREPARE s FROM 'SELECT ...'");
        }
        for (String text : found.texts()) {
            Screen inner = screen(text, true, lexing);
            if (!(inner instanceof Screen.Ordinary)) {
                return inner;
            }
        }
        return ORDINARY;
    }

    private static Screen killInside(String where) {
        return new Screen.Refused(
                Reason.KILL_PREPARED,
                "KILL inside " + where + " is not supported through agentgate: send it as a statement of its own");
    }

    /**
     * Whether KILL, LOCAL, PREPARE or IMMEDIATE appears in any case, as generously as {@link SqlToken#isWord} reads
     * case (so also with the non-ASCII letters whose case maps onto these): one pass that tries a keyword only where
     * its first letter, or a non-ASCII character, is.
     */
    private static boolean mentionsAny(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            boolean found = switch (c >= 0x80 ? 0 : c | 0x20) {
                case 0 -> at(sql, i, "KILL") || at(sql, i, "LOCAL") || at(sql, i, "PREPARE") || at(sql, i, "IMMEDIATE");
                case 'k' -> at(sql, i, "KILL");
                case 'l' -> at(sql, i, "LOCAL");
                case 'p' -> at(sql, i, "PREPARE");
                case 'i' -> at(sql, i, "IMMEDIATE");
                default -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static boolean at(String sql, int at, String keyword) {
        return sql.regionMatches(true, at, keyword, 0, keyword.length());
    }
}
