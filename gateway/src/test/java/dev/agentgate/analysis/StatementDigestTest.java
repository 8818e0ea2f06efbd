package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementDigestTest extends AnalyzerFixture {

    private static String digest(String sql) {
        return facts(sql).digest();
    }

    @Test
    void replacesEveryKindOfLiteralWithAQuestionMark() {
        assertThat(digest("SELECT 'a', \"b\", 1, 2.5, 1e3, 0x1F, X'AB', b'01', _utf8mb4'x', N'y', ?"))
                .isEqualTo("SELECT ? , ? , ? , ? , ? , ? , ? , ? , ? , ? , ?");
    }

    @Test
    void givesStatementsThatDifferOnlyInLiteralsTheSameDigestAndHash() {
        StatementFacts one = facts("select * from t where a = 1 and b = 'x'");
        StatementFacts other = facts("SELECT *   FROM t\n WHERE a = 42 AND b = \"yy\"");
        assertThat(one.digest()).isEqualTo(other.digest());
        assertThat(one.digestHash()).isEqualTo(other.digestHash());
    }

    @Test
    void collapsesAnInListOfLiteralsWhateverItsLength() {
        assertThat(digest("SELECT * FROM t WHERE id IN (1, 2, 3)"))
                .isEqualTo(digest("SELECT * FROM t WHERE id IN (7)"))
                .isEqualTo("SELECT * FROM `t` WHERE `id` IN (...)");
    }

    @Test
    void keepsAnInListThatHoldsASubquery() {
        assertThat(digest("SELECT * FROM t WHERE id IN (SELECT id FROM u)"))
                .isEqualTo("SELECT * FROM `t` WHERE `id` IN ( SELECT `id` FROM `u` )");
    }

    @Test
    void collapsesMultiRowValuesToOneRow() {
        assertThat(digest("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (-3, NULL)"))
                .isEqualTo(digest("INSERT INTO t (a, b) VALUES (?, ?)"))
                .isEqualTo("INSERT INTO `t` ( `a` , `b` ) VALUES (...)");
    }

    @Test
    void foldsTheSignOfANegativeNumberButNotASubtraction() {
        assertThat(digest("SELECT a - 1 FROM t WHERE b = -1")).isEqualTo("SELECT `a` - ? FROM `t` WHERE `b` = ?");
    }

    @Test
    void removesCommentsAndCollapsesWhitespace() {
        assertThat(digest("/* app=x */ SELECT\n\t a  -- c\n FROM t # d")).isEqualTo("SELECT `a` FROM `t`");
    }

    @Test
    void upperCasesKeywordsAndFunctionsAndBackticksIdentifiers() {
        assertThat(digest("select count(*), `Name` from Users u where u.status = 1"))
                .isEqualTo("SELECT COUNT ( * ) , `Name` FROM `Users` `u` WHERE `u` . `status` = ?");
    }

    @Test
    void upperCasesKeywordsWrittenInAnyMixOfCasesAndKeepsTheCaseOfNames() {
        assertThat(digest("SeLeCt Status FrOm oRdErS wHeRe iD = 1"))
                .isEqualTo("SELECT `Status` FROM `oRdErS` WHERE `iD` = ?");
    }

    @Test
    void takesWordsBeyondAsciiForNamesNeverForKeywordsAsMariaDbDoes() {
        // MariaDB compares keywords byte by byte in ASCII: U+017F LATIN SMALL LETTER LONG S makes no SELECT (Java's
        // upper case would), and straße is a name
        assertThat(digest("\u017Felect straße(1) FROM sélect")).isEqualTo("`\u017Felect` `straße` ( ? ) FROM `sélect`");
    }

    @Test
    void keepsVariablesAndIncludesVersionedCommentContent() {
        assertThat(digest("SELECT @a, @@version /*!50000 , 1 */")).isEqualTo("SELECT @a , @@version , ?");
    }

    @Test
    void computesTheDigestOfUnparseableText() {
        StatementFacts facts = facts("SELEKT 'secret' FROM");
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.digest()).isEqualTo("`SELEKT` ? FROM");
    }

    @Test
    void hashesTheDigestTextWithSha256() {
        assertThat(facts("SELECT 1").digestHash())
                .isEqualTo(StatementDigest.hash("SELECT ?"))
                .hasSize(64)
                .matches("[0-9a-f]+");
        assertThat(StatementDigest.hash(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
