package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * JSqlParser's lexer against the gateway's over a generated corpus: every literal and quoted name in each spelling
 * the server knows, alone and next to others, around commas, comments and newlines. Where JSqlParser ends one
 * elsewhere, the analysis refuses the statement (unparsed, with the reason); where they agree, it is parsed.
 */
class ParserTokenAgreementTest extends AnalyzerFixture {

    /** Literals and quoted names both lexers cut alike. */
    private static final List<String> AGREED = List.of(
            "'a'",
            "'a''b'",
            "'x\\'y'",
            "'a\\\\'",
            "'b\\\\\\'c'",
            "'e\"f'",
            "\"abc\"",
            "\"g'h\"",
            "\"c\"\"d\"",
            "`c`",
            "`select`",
            "1",
            "12",
            "1.5",
            "1e5",
            "1E+5",
            "1.5e-3",
            ".5",
            "3.",
            "0x1F",
            "x'AB'",
            "X''",
            "b'01'",
            "0b101",
            "N'n'",
            "n'm'",
            "_utf8mb4'u'",
            "_binary'b'");

    /** Spellings JSqlParser cuts elsewhere than MariaDB: a doubled backtick, an escaped quote in a "string". */
    private static final List<String> DISAGREED = List.of("`c``d`", "\"a\\\"b\"");

    /** The gateway's parser itself, so the tokens judged are those its parse hands on. */
    private static final BoundedSqlParser PARSER = new BoundedSqlParser(Duration.ofSeconds(10), 2);

    @AfterAll
    static void stopParser() {
        PARSER.close();
    }

    private static final List<String> SEPARATORS = List.of(", ", ",", " /* , */ ", "\n, ", "\t,\t");

    private static List<String> statements(List<String> literals) {
        List<String> statements = new ArrayList<>();
        for (String literal : literals) {
            for (String separator : SEPARATORS) {
                for (String neighbour : List.of("id", "'n'", "1.5", "`name`")) {
                    statements.add("SELECT " + literal + separator + neighbour + " FROM customers");
                    statements.add("SELECT " + neighbour + separator + literal + " LIMIT 1");
                }
            }
        }
        return statements;
    }

    @Test
    void agreesOnEveryLiteralBothLexersCutAlike() {
        assertThat(statements(AGREED))
                .allSatisfy(sql -> assertThat(ParserTokenAgreement.disagreement(sql))
                        .as(sql)
                        .isNull());
    }

    @Test
    void findsEverySpellingJSqlParserCutsElsewhere() {
        assertThat(statements(DISAGREED))
                .allSatisfy(sql -> assertThat(ParserTokenAgreement.disagreement(sql))
                        .as(sql)
                        .isNotNull());
    }

    @Test
    void judgesTheTokensAParseReadAsItJudgesTheTextCutAgain() {
        List<String> corpus = new ArrayList<>(statements(AGREED));
        corpus.addAll(statements(DISAGREED));
        corpus.add("SELECT 0x1F FROM customers");
        int parsed = 0;
        for (String sql : corpus) {
            Token beforeFirst = parsedTokens(sql);
            if (beforeFirst != null) {
                parsed++;
                assertThat(ParserTokenAgreement.disagreement(sql, beforeFirst))
                        .as(sql)
                        .isEqualTo(ParserTokenAgreement.disagreement(sql));
            }
        }
        assertThat(parsed).as("statements of the corpus that parsed").isGreaterThan(corpus.size() / 2);
    }

    @Test
    void cutsTheTextAgainWhenTheTokensAParseReadStopBeforeItsEnd() {
        Token first = new Token(CCJSqlParserConstants.K_SELECT, "SELECT");
        first.absoluteBegin = 1;
        Token beforeFirst = new Token();
        beforeFirst.next = first; // and nothing after SELECT: no EOF

        assertThat(ParserTokenAgreement.disagreement("SELECT 0x1F FROM customers", beforeFirst))
                .isEqualTo(ParserTokenAgreement.disagreement("SELECT 0x1F FROM customers"))
                .isNotNull();
    }

    @Test
    void refusesAStatementThatParsesButWhoseTableNameJSqlParserCutsElsewhere() {
        // JSqlParser parses this (its tree names a table c and more), MariaDB reads one table named c`d
        StatementFacts facts = facts("SELECT id FROM `c``d`");

        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError())
                .isEqualTo("agentgate cannot read this statement exactly as the server does: "
                        + "JSqlParser ends the literal or quoted name at offset 15 elsewhere");
    }

    /** The token before the first of {@code sql} as the gateway's parser read it, null if it does not parse. */
    private static Token parsedTokens(String sql) {
        BoundedSqlParser.Outcome outcome = PARSER.parse(sql);
        return outcome.parsed() ? outcome.tokens() : null;
    }

    @Test
    void agreesOnAQuotedHostOfAnAccount() {
        assertThat(ParserTokenAgreement.disagreement("CREATE USER `root`@`%` IDENTIFIED BY 'x'"))
                .isNull();
    }

    @Test
    void findsAHexLiteralJSqlParserContinuesOverASpaceAndAHexDigit() {
        assertThat(ParserTokenAgreement.disagreement("SELECT 0x1F FROM customers"))
                .as("JSqlParser reads 0x1F F, then ROM")
                .isNotNull();
        assertThat(ParserTokenAgreement.disagreement("SELECT 0x1F, id FROM customers"))
                .isNull();
    }

    @Test
    void refusesAStatementWhoseSelectListJSqlParserWouldReadInsideAQuotedName() {
        StatementFacts facts = facts("SELECT \"a\\\"\" , ssn, \"b\" FROM customers");
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError())
                .startsWith("agentgate cannot read this statement exactly as the server does: JSqlParser");
    }

    @Test
    void stillParsesAStatementWithEveryAgreedLiteral() {
        StatementFacts facts = facts("SELECT " + String.join(", ", AGREED) + ", id FROM customers");
        assertThat(facts.parsed()).as(facts.parseError()).isTrue();
    }
}
