package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lexer against the real MariaDB: a generated corpus of {@code SELECT 0 <fragment> , 99} statements (versioned
 * comments of every kind with numbers around the server's version, nested comments, {@code --} before every kind of
 * character, ASCII and Unicode spaces, strings and quoted identifiers with escapes) in each sql_mode that changes
 * tokens, run through the lexer and through the server. Where the lexer reads the text (it may refuse it instead), it
 * predicts the select list: how many columns, and the value or label of each literal or aliased one. The server's
 * result set must be exactly that, or its error an unknown column where the lexer saw a name. Every disagreement is
 * listed and fails the test.
 */
@Tag("integration")
class LexerDifferentialMariaDbTest {

    private static final List<String> SQL_MODES =
            List.of("", "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES");
    private static final int ER_BAD_FIELD_ERROR = 1054;

    private static MariaDbServer server;
    private static Connection connection;
    private static String serverVersion;

    @BeforeAll
    static void startServer() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-lexer-differential"));
        server.sql("CREATE USER 'lexer'@'127.0.0.1' IDENTIFIED BY 'lexer-pw';");
        connection =
                DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + server.port() + "/", "lexer", "lexer-pw");
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT VERSION()")) {
            rs.next();
            serverVersion = rs.getString(1);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static List<String> fragments(long version) {
        List<String> fragments = new ArrayList<>();
        List<String> numbers = List.of(
                "",
                "00000",
                "32302",
                "50699",
                "50700",
                "50701",
                "99999",
                "100000",
                "100001",
                String.valueOf(version - 1),
                String.valueOf(version),
                String.valueOf(version + 1),
                "999999",
                String.valueOf(version / 100 * 100 + 99));
        for (String open : List.of("/*!", "/*M!")) {
            for (String number : numbers) {
                fragments.add(open + number + " , 1 */");
                fragments.add(open + number + " , 1 /* , 2 */ , 3 */");
                fragments.add(open + number + " , 1 /*!" + number + " , 2 */ , 3 */");
            }
        }
        fragments.add("/* , 1 /* , 2 */ , 3 */");
        fragments.add("/*!99999 , 1 /* , 2 /* , 3 */ , 4 */ , 5 */");
        String[] afterDashes = {
            " ", "\t", "\u000B", "\f", "\r", "\u0001", "\u001F", "\u007F", "\u00A0", "\u0085", "\u2028", "\u3000",
            "\u2003", "1", "+"
        };
        for (String after : afterDashes) {
            fragments.add("--" + after + "1, 2\n");
            fragments.add("," + after + "98");
        }
        fragments.add("# x\r, 1\n");
        fragments.add("# x /* , 1\n");
        for (String body : List.of(
                "a",
                "a''b",
                "a\\'b",
                "a\\\\",
                "a\\nb",
                "a\"b",
                "a\\",
                "a\\', 5, '",
                "a\"\"b",
                "\\x\\%\\_\\0\\Z",
                "a\\\", 5, \"",
                "\u00e9\u3000\uD83D\uDE00",
                "a\u0000b")) {
            // a name (an alias) is converted to utf8mb3, where a NUL shows as \x00 and an emoji is refused: values only
            boolean nameable = !body.contains("\u0000") && !body.contains("\\0") && !body.contains("\uD83D");
            fragments.add(", '" + body + "'");
            fragments.add(", '" + body + "' -- '\n");
            if (nameable) {
                fragments.add(", 1 AS `" + body + "`");
            }
            if (!body.replace("\"\"", "").contains("\"") || body.contains("\\\"")) {
                fragments.add(", \"" + body + "\"");
                fragments.add(", \"" + body + "\" -- \"\n");
                if (nameable) {
                    fragments.add(", 1 AS \"" + body + "\"");
                }
            }
        }
        fragments.add(", 1.5e3, .5, 1e2, 0x41, 0b1, X'41', b'1', 0x, 1e, 1.5e+2");
        fragments.add(", 1.5 e3");
        return fragments;
    }

    @Test
    void cutsEveryStatementOfTheCorpusWhereMariaDbCutsIt() throws SQLException {
        LexingMode atLogin = LexingMode.atLogin(serverVersion, 45).withCharacterSet("utf8mb4");
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        int refused = 0;
        for (String sqlMode : SQL_MODES) {
            LexingMode mode = atLogin.withSqlMode(setSqlMode(sqlMode));
            for (String fragment : fragments(atLogin.serverVersion())) {
                String sql = "SELECT 0 " + fragment + " , 99";
                MySqlLexer.Lexed lexed = MySqlLexer.lex(sql, mode);
                if (lexed.unreadable() != null) {
                    refused++;
                    continue;
                }
                compared++;
                String disagreement = compare(lexed, run(sql));
                if (disagreement != null) {
                    disagreements.add("[" + sqlMode + "] " + printable(sql) + ": " + disagreement);
                }
            }
        }
        assertThat(disagreements)
                .as("%d statements compared, %d refused by the lexer", compared, refused)
                .isEmpty();
        assertThat(compared).isGreaterThan(400);
    }

    private static String setSqlMode(String sqlMode) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET sql_mode = '" + sqlMode + "'");
            try (ResultSet rs = statement.executeQuery("SELECT @@sql_mode")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** What the server made of it: labels and values of the one row, or the error code. */
    record Outcome(List<String> labels, List<String> values, int errorCode, String error) {}

    private static Outcome run(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            try (ResultSet rs = statement.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                rs.next();
                List<String> labels = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    labels.add(meta.getColumnLabel(i));
                    values.add(rs.getString(i));
                }
                return new Outcome(labels, values, 0, null);
            }
        } catch (SQLException e) {
            return new Outcome(List.of(), List.of(), e.getErrorCode(), e.getMessage());
        }
    }

    /** Null when the server's outcome is what the tokens predict, else what differs. */
    private static String compare(MySqlLexer.Lexed lexed, Outcome outcome) {
        List<List<SqlToken>> items = selectItems(lexed.tokens());
        if (outcome.errorCode() != 0) {
            boolean namesAColumn = items.stream()
                    .flatMap(List::stream)
                    .anyMatch(t -> t.kind() == SqlToken.Kind.QUOTED_IDENTIFIER
                            || (t.kind() == SqlToken.Kind.WORD && !t.isWord("AS")));
            return outcome.errorCode() == ER_BAD_FIELD_ERROR && namesAColumn
                    ? null
                    : "the server refused it (" + outcome.errorCode() + " " + outcome.error() + "), the lexer read "
                            + texts(items);
        }
        if (items.size() != outcome.values().size()) {
            return "the lexer read " + items.size() + " columns " + texts(items) + ", the server returned "
                    + outcome.labels();
        }
        for (int i = 0; i < items.size(); i++) {
            List<SqlToken> item = items.get(i);
            SqlToken last = item.get(item.size() - 1);
            String expected = null;
            String actual = outcome.values().get(i);
            if (item.size() == 1 && last.kind() == SqlToken.Kind.NUMBER) {
                expected = last.text();
                actual = outcome.labels().get(i);
            } else if (item.size() == 1 && last.kind() == SqlToken.Kind.STRING) {
                expected = stringValue(last);
            } else if (item.size() == 3 && item.get(1).isWord("AS")) {
                expected = last.kind() == SqlToken.Kind.STRING ? stringValue(last) : last.identifier();
                actual = outcome.labels().get(i);
            }
            if (expected != null && !expected.equals(actual)) {
                return "column " + (i + 1) + ": the lexer read " + printable(expected) + ", the server "
                        + printable(actual);
            }
        }
        return null;
    }

    /** The select list after SELECT, cut at top-level commas; comments and versioned-comment markers left out. */
    private static List<List<SqlToken>> selectItems(List<SqlToken> tokens) {
        List<List<SqlToken>> items = new ArrayList<>();
        List<SqlToken> item = new ArrayList<>();
        int depth = 0;
        for (SqlToken token : tokens.subList(1, tokens.size())) {
            SqlToken.Kind kind = token.kind();
            if (kind == SqlToken.Kind.COMMENT
                    || kind == SqlToken.Kind.VERSIONED_OPEN
                    || kind == SqlToken.Kind.VERSIONED_CLOSE) {
                continue;
            }
            depth += kind == SqlToken.Kind.LEFT_PAREN ? 1 : kind == SqlToken.Kind.RIGHT_PAREN ? -1 : 0;
            if (kind == SqlToken.Kind.COMMA && depth == 0) {
                items.add(item);
                item = new ArrayList<>();
            } else {
                item.add(token);
            }
        }
        items.add(item);
        return items;
    }

    private static String stringValue(SqlToken literal) {
        String text = literal.text();
        char quote = text.charAt(text.length() - 1);
        return PreparedText.unescape(text.substring(text.indexOf(quote) + 1, text.length() - 1), quote);
    }

    private static List<String> texts(List<List<SqlToken>> items) {
        return items.stream()
                .map(item -> printable(
                        String.join(" ", item.stream().map(SqlToken::text).toList())))
                .toList();
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
