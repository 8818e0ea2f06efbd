package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexer cuts text where MariaDB 10.11's lexer does (sql/sql_lex.cc), in the session's lexing mode. */
class MariaDbLexingRulesTest {

    private static final LexingMode MARIADB_10_11 = LexingMode.atLogin("5.5.5-10.11.14-MariaDB-0+deb12u2", 45);

    private static List<String> texts(String sql, LexingMode mode) {
        return MySqlLexer.lex(sql, mode).tokens().stream()
                .filter(t -> t.kind() != SqlToken.Kind.COMMENT)
                .map(SqlToken::text)
                .toList();
    }

    private static String unreadable(String sql, LexingMode mode) {
        return MySqlLexer.lex(sql, mode).unreadable();
    }

    @Test
    void readsTheServerVersionFromAMariaDbGreetingWithTheReplicationPrefix() {
        assertThat(MARIADB_10_11.serverVersion()).isEqualTo(101114);
        assertThat(MARIADB_10_11.mariaDb()).isTrue();
        assertThat(LexingMode.atLogin("10.6.5-MariaDB", 45).serverVersion()).isEqualTo(100605);
    }

    @Test
    void takesTheCharacterSetOfTheHandshakeCollation() {
        assertThat(LexingMode.atLogin("10.11.14-MariaDB", 224).characterSet()).isEqualTo("utf8mb4");
        assertThat(LexingMode.atLogin("10.11.14-MariaDB", 33).characterSet()).isEqualTo("utf8mb3");
        assertThat(LexingMode.atLogin("10.11.14-MariaDB", 28).characterSet()).isEqualTo("collation 28");
    }

    @Test
    void skipsAVersionedCommentAboveTheServerVersion() {
        assertThat(texts("SELECT 1 /*!999999 , ssn */ FROM t", MARIADB_10_11))
                .containsExactly("SELECT", "1", "FROM", "t");
    }

    @Test
    void executesAVersionedCommentAtOrBelowTheServerVersion() {
        assertThat(texts("SELECT 1 /*!101114 , ssn */", MARIADB_10_11))
                .containsExactly("SELECT", "1", "/*!101114", ",", "ssn", "*/");
    }

    @Test
    void skipsMySql57VersionedCommentsButNotMariaDbOnesOfTheSameNumber() {
        assertThat(texts("SELECT 1 /*!50700 , ssn */", MARIADB_10_11)).containsExactly("SELECT", "1");
        assertThat(texts("SELECT 1 /*M!50700 , ssn */", MARIADB_10_11)).contains("ssn");
    }

    @Test
    void readsFiveDigitsAsTheVersionWhenASixthDigitIsMissing() {
        assertThat(texts("SELECT 1 /*!10000 1 */", MARIADB_10_11))
                .containsExactly("SELECT", "1", "/*!10000", "1", "*/");
    }

    @Test
    void executesAVersionedCommentWithoutANumber() {
        assertThat(texts("SELECT 1 /*! , ssn */", MARIADB_10_11)).contains("ssn");
    }

    @Test
    void blanksASkippedVersionedCommentInTheCanonicalText() {
        assertThat(MySqlLexer.lex("SELECT 1/*!999999 ,ssn*/x", MARIADB_10_11).canonical())
                .isEqualTo("SELECT 1" + " ".repeat(16) + "x");
    }

    @Test
    void allowsOneOrdinaryCommentInsideASkippedVersionedComment() {
        assertThat(texts("SELECT 1 /*!999999 /* inner */ , ssn */ , 2", MARIADB_10_11))
                .containsExactly("SELECT", "1", ",", "2");
    }

    @Test
    void endsAnExecutedVersionedCommentAtTheFirstCloseAfterANestedExecutedOne() {
        assertThat(texts("SELECT /*!50000 1 /*!50000 , 2 */ , 3 */", MARIADB_10_11))
                .containsExactly("SELECT", "/*!50000", "1", "/*!50000", ",", "2", "*/", ",", "3", "*", "/");
    }

    @Test
    void refusesAVersionedCommentWhenTheVersionIsUnknown() {
        assertThat(unreadable("SELECT /*!50000 1 */", LexingMode.atLogin("MariaDB-unversioned", 45)))
                .contains("version is unknown");
    }

    @Test
    void refusesVersionedCommentsOfNonMariaDbTargets() {
        assertThat(unreadable("SELECT /*!50000 1 */", LexingMode.atLogin("8.0.36", 45)))
                .contains("only for MariaDB");
    }

    @Test
    void takesAUnicodeSpaceAsPartOfAName() {
        assertThat(texts("SELECT\u3000ssn", MARIADB_10_11)).containsExactly("`SELECT\u3000ssn`");
        assertThat(texts("a\u00A0b\u2028c", MARIADB_10_11)).containsExactly("`a\u00A0b\u2028c`");
    }

    @Test
    void takesVerticalTabAndFormFeedAsSpace() {
        assertThat(texts("a\u000Bb\fc", MARIADB_10_11)).containsExactly("a", "b", "c");
    }

    @Test
    void startsADashCommentOnlyBeforeAnAsciiSpaceOrControlCharacter() {
        assertThat(texts("SELECT 1 --\u3000x\n, 2", MARIADB_10_11))
                .containsExactly("SELECT", "1", "-", "-", "`\u3000x`", ",", "2");
        assertThat(texts("SELECT 1 --\u007Fx\n, 2", MARIADB_10_11)).containsExactly("SELECT", "1", ",", "2");
        assertThat(texts("SELECT 1 --\tx\n, 2", MARIADB_10_11)).containsExactly("SELECT", "1", ",", "2");
    }

    @Test
    void readsOnlyAsciiDigitsAsDigits() {
        assertThat(MySqlLexer.lex("SELECT \u0661", MARIADB_10_11)
                        .tokens()
                        .get(1)
                        .kind())
                .isEqualTo(SqlToken.Kind.QUOTED_IDENTIFIER);
    }

    @Test
    void endsADecimalNumberBeforeTheLettersThatFollowIt() {
        assertThat(texts("SELECT 1.5abc", MARIADB_10_11)).containsExactly("SELECT", "1.5", "abc");
    }

    @Test
    void readsANameAfterAQualifierEvenWhenItLooksLikeANumber() {
        assertThat(MySqlLexer.lex("t.1e5", MARIADB_10_11).tokens())
                .extracting(SqlToken::kind)
                .containsExactly(SqlToken.Kind.WORD, SqlToken.Kind.DOT, SqlToken.Kind.WORD);
    }

    @Test
    void refusesANulByteOutsideAString() {
        assertThat(unreadable("SELECT 1\0, ssn FROM t", MARIADB_10_11)).contains("NUL");
        assertThat(unreadable("SELECT 1 # c\0, ssn FROM t", MARIADB_10_11)).contains("NUL");
        assertThat(unreadable("SELECT 'a\0b'", MARIADB_10_11)).isNull();
    }

    @Test
    void refusesUnterminatedLiteralsAndComments() {
        assertThat(unreadable("SELECT 'a", MARIADB_10_11)).contains("unterminated string");
        assertThat(unreadable("SELECT `a", MARIADB_10_11)).contains("unterminated quoted identifier");
        assertThat(unreadable("SELECT 1 /* a", MARIADB_10_11)).contains("unterminated comment");
        assertThat(unreadable("SELECT 1 /*!50000 , 2", MARIADB_10_11)).contains("unterminated versioned comment");
    }

    @Test
    void refusesASemicolonInsideAnExecutedVersionedComment() {
        assertThat(unreadable("/*!50000 SELECT 1; SELECT ssn FROM t */", MARIADB_10_11))
                .contains("semicolon");
    }

    @Test
    void readsDoubleQuotesAsAnIdentifierUnderAnsiQuotes() {
        MySqlLexer.Lexed lexed =
                MySqlLexer.lex("SELECT \"ssn\", \"a\"\"b`c\" FROM t", MARIADB_10_11.withSqlMode("ANSI_QUOTES"));
        assertThat(lexed.canonical()).isEqualTo("SELECT `ssn`, `a\"b``c` FROM t");
        assertThat(lexed.tokens().get(1).kind()).isEqualTo(SqlToken.Kind.QUOTED_IDENTIFIER);
    }

    @Test
    void readsABackslashAsAPlainCharacterUnderNoBackslashEscapes() {
        LexingMode mode = MARIADB_10_11.withSqlMode("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES");
        MySqlLexer.Lexed lexed = MySqlLexer.lex("SELECT 'a\\', ssn, '\\' FROM t", mode);
        assertThat(lexed.canonical()).isEqualTo("SELECT 'a\\\\', ssn, '\\\\' FROM t");
        assertThat(lexed.tokens()).extracting(SqlToken::text).contains("ssn");
    }

    @Test
    void readsABackslashAsAnEscapeByDefault() {
        assertThat(texts("SELECT 'a\\', ssn, '\\' FROM t", MARIADB_10_11))
                .containsExactly("SELECT", "'a\\', ssn, '", "\\", "' FROM t");
    }

    @Test
    void refusesTheOracleSqlMode() {
        assertThat(unreadable("SELECT 1", MARIADB_10_11.withSqlMode("PIPES_AS_CONCAT,ANSI_QUOTES,ORACLE")))
                .contains("ORACLE");
    }

    @Test
    void readsOnlyAsciiTextInACharacterSetOtherThanUtf8() {
        LexingMode gbk = MARIADB_10_11.withCharacterSet("gbk");
        assertThat(unreadable("SELECT 'x'", gbk)).isNull();
        assertThat(unreadable("SELECT '\uFFFD\\' , ssn FROM t", gbk)).contains("gbk");
    }

    @Test
    void refusesTextThatIsNotValidUtf8() {
        assertThat(unreadable("SELECT '\uFFFD'", MARIADB_10_11)).contains("not valid utf8mb4");
    }

    @Test
    void refusesCharactersBeyondTheBmpInUtf8mb3() {
        assertThat(unreadable("SELECT '\uD83D\uDE00'", MARIADB_10_11.withCharacterSet("utf8mb3")))
                .contains("U+FFFF");
        assertThat(unreadable("SELECT '\uD83D\uDE00'", MARIADB_10_11)).isNull();
    }

    @Test
    void readsTwoDotsAsOneRangeToken() {
        assertThat(texts("1..10", MARIADB_10_11)).containsExactly("1", "..", "10");
    }

    @Test
    void refusesACommentEndOutsideAComment() {
        assertThat(unreadable("SELECT 1 */ 2", MARIADB_10_11)).contains("comment end");
    }

    @Test
    void refusesANameWithACharacterBeyondTheBmp() {
        assertThat(unreadable("SELECT 1 AS `\uD83D\uDE00`", MARIADB_10_11)).contains("U+FFFF");
    }

    @Test
    void keepsTheBackslashOfPercentAndUnderscoreInAStringValue() {
        assertThat(PreparedText.unescape("a\\%b\\_c\\x", '\'')).isEqualTo("a\\%b\\_cx");
    }

    @Test
    void spellsTwoMinusSignsApartInTheCanonicalText() {
        assertThat(MySqlLexer.lex("SELECT 1--1", MARIADB_10_11).canonical()).isEqualTo("SELECT 1- -1");
    }

    @Test
    void quotesANameBeyondAsciiInTheCanonicalText() {
        assertThat(MySqlLexer.lex("SELECT 0 --\u3000.id FROM t \u3000", MARIADB_10_11)
                        .canonical())
                .isEqualTo("SELECT 0 - -`\u3000`.id FROM t `\u3000`");
    }
}
