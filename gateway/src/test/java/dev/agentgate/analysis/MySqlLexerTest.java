package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlLexerTest {

    private static List<SqlToken.Kind> kinds(String sql) {
        return MySqlLexer.tokenize(sql).stream().map(SqlToken::kind).toList();
    }

    private static List<String> texts(String sql) {
        return MySqlLexer.tokenize(sql).stream().map(SqlToken::text).toList();
    }

    @Test
    void readsHexAndBitLiteralsInBothNotations() {
        assertThat(kinds("0x1F X'AB' x'cd' 0b101 B'01'"))
                .containsOnly(SqlToken.Kind.HEX_OR_BIT)
                .hasSize(5);
    }

    @Test
    void readsAStringWithACharsetIntroducerOrNationalPrefixAsOneLiteral() {
        assertThat(texts("_utf8mb4'abc' N'x'")).containsExactly("_utf8mb4'abc'", "N'x'");
        assertThat(kinds("_utf8mb4'abc' N'x'")).containsOnly(SqlToken.Kind.STRING);
    }

    @Test
    void readsNumbersWithFractionsAndExponents() {
        assertThat(texts("1 2.5 .5 1e10 3.0E-2")).containsExactly("1", "2.5", ".5", "1e10", "3.0E-2");
        assertThat(kinds("1 2.5 .5 1e10 3.0E-2")).containsOnly(SqlToken.Kind.NUMBER);
    }

    @Test
    void readsAnIdentifierThatStartsWithDigitsAsAWord() {
        assertThat(MySqlLexer.tokenize("1st_place"))
                .singleElement()
                .extracting(SqlToken::kind)
                .isEqualTo(SqlToken.Kind.WORD);
    }

    @Test
    void readsAQualifiedNameAsNamesAndDots() {
        assertThat(kinds("db.t1.c"))
                .containsExactly(
                        SqlToken.Kind.WORD,
                        SqlToken.Kind.DOT,
                        SqlToken.Kind.WORD,
                        SqlToken.Kind.DOT,
                        SqlToken.Kind.WORD);
    }

    @Test
    void unescapesDoubledBackticksInAQuotedIdentifier() {
        assertThat(MySqlLexer.tokenize("`a``b`").get(0).identifier()).isEqualTo("a`b");
    }

    @Test
    void readsUserAndSystemVariables() {
        assertThat(texts("@x @'quoted var' @@global.max_connections @@version"))
                .containsExactly("@x", "@'quoted var'", "@@global.max_connections", "@@version");
        assertThat(kinds("@x @@y")).containsExactly(SqlToken.Kind.USER_VARIABLE, SqlToken.Kind.SYSTEM_VARIABLE);
    }

    @Test
    void readsMultiCharacterOperatorsAsOneToken() {
        assertThat(texts("a <=> b := c ->> d != e")).containsExactly("a", "<=>", "b", ":=", "c", "->>", "d", "!=", "e");
    }

    @Test
    void marksTheBoundsOfAVersionedCommentAndTokenizesItsContent() {
        assertThat(kinds("/*!50001 SELECT */"))
                .containsExactly(SqlToken.Kind.VERSIONED_OPEN, SqlToken.Kind.WORD, SqlToken.Kind.VERSIONED_CLOSE);
    }

    @Test
    void treatsAClosingCommentMarkerOutsideAVersionedCommentAsOperators() {
        assertThat(kinds("a */ b"))
                .containsExactly(
                        SqlToken.Kind.WORD, SqlToken.Kind.OPERATOR, SqlToken.Kind.OPERATOR, SqlToken.Kind.WORD);
    }

    @Test
    void runsAnUnterminatedBlockCommentToTheEnd() {
        assertThat(kinds("SELECT /* never closed ; SELECT 2"))
                .containsExactly(SqlToken.Kind.WORD, SqlToken.Kind.COMMENT);
    }

    @Test
    void keepsOffsetsThatPointIntoTheInput() {
        String sql = "SELECT  'x' FROM t";
        assertThat(MySqlLexer.tokenize(sql))
                .allSatisfy(token ->
                        assertThat(sql.substring(token.start(), token.end())).isEqualTo(token.text()));
    }
}
