package dev.agentgate.analysis;

import java.util.List;

/**
 * Finds, in the text of a COM_QUERY or COM_STMT_PREPARE, the statements the gateway must handle itself instead of
 * relaying them: {@code KILL} (its ids name gateway sessions, and every session shares one backend account) and
 * {@code LOAD DATA LOCAL} (the gateway never reads client files). Reads the statements as MariaDB does, with the
 * lexer and the splitter: comments, casing, versioned comments and multi-statements hide nothing. The text of a
 * {@code PREPARE ... FROM 'text'} or {@code EXECUTE IMMEDIATE 'text'} is read as well.
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
        /** The text mentions KILL or LOCAL and the gateway cannot read it exactly as the server does. */
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
        if (!mentions(sql, "KILL") && !mentions(sql, "LOCAL")) {
            return ORDINARY; // neither statement can be written without its keyword: skip the lexer for almost every
            // query
        }
        MySqlLexer.Lexed lexed = MySqlLexer.lex(sql, lexing);
        if (lexed.unreadable() != null) {
            return new Screen.Refused(
                    Reason.UNREADABLE,
                    "a statement that mentions KILL or LOCAL must read the same to agentgate as to the server: "
                            + lexed.unreadable());
        }
        List<StatementText> statements = StatementSplitter.split(lexed.canonical(), lexed.tokens());
        for (StatementText statement : statements) {
            Screen screen = screenOne(statement.tokens(), statements.size() > 1 || prepared, lexing);
            if (!(screen instanceof Screen.Ordinary)) {
                return screen;
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
        if (type == StatementType.PREPARE || type == StatementType.EXECUTE) {
            return screenDynamicText(tokens, lexing);
        }
        return ORDINARY;
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
        for (SqlToken token : tokens) {
            if (token.kind() != SqlToken.Kind.STRING) {
                continue;
            }
            String literal = token.text();
            int open = Math.max(literal.indexOf('\''), literal.indexOf('"'));
            if (open < 0 || literal.length() < open + 2) {
                continue;
            }
            String text =
                    PreparedText.unescape(literal.substring(open + 1, literal.length() - 1), literal.charAt(open));
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

    /** Whether the keyword appears in any case; as generous as {@link SqlToken#isWord}. */
    private static boolean mentions(String sql, String keyword) {
        for (int i = sql.length() - keyword.length(); i >= 0; i--) {
            if (sql.regionMatches(true, i, keyword, 0, keyword.length())) {
                return true;
            }
        }
        return false;
    }
}
