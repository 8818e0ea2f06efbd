package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** parsed: true is a promise that the facts are complete; these are the ways it is kept. */
class AnalysisCompletenessTest extends AnalyzerFixture {

    @Test
    void reportsAStatementAsUnparsedWhenASubqueryHidesWhereTheWalkDoesNotReach() {
        StatementFacts facts = facts("SELECT JSON_OBJECT('k', (SELECT password FROM mysql.user))");
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError()).isEqualTo("analysis incomplete: a subquery was not analysed");
    }

    @Test
    void reportsTheTablesASetStatementReadsThroughASubquery() {
        StatementFacts facts = facts("SET @x = (SELECT secret FROM vault)");
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.tables()).containsExactly(new TableRef("app", "vault", TableAccess.READ));
    }

    @Test
    void doesNotTrustJSqlParsersFallbackForStatementsItDoesNotKnow() {
        StatementFacts facts = facts("CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`%` VIEW v AS SELECT * FROM t");
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError()).isEqualTo("statement not supported by the parser");
        assertThat(facts.tables()).contains(new TableRef("app", "v", TableAccess.DDL));
    }

    @Test
    void treatsSimpleStatementsTheTokenGrammarCoversAsComplete() {
        StatementFacts facts = facts("LOCK TABLES orders WRITE, customers READ");
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.parseError()).isNull();
        assertThat(facts.tables())
                .containsExactly(
                        new TableRef("app", "orders", TableAccess.WRITE),
                        new TableRef("app", "customers", TableAccess.READ));
    }

    @Test
    void treatsSelectAsAPrivilegeNotAQueryInGrant() {
        StatementFacts facts = facts("GRANT SELECT ON shop.* TO 'bob'@'%'");
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.tables()).containsExactly(new TableRef("shop", "*", TableAccess.DDL));
    }

    @Test
    void doesNotClaimAStoredProgramBodyIsAnalysed() {
        assertThat(facts("CREATE PROCEDURE p() BEGIN SELECT * FROM secrets; END")
                        .parsed())
                .isFalse();
    }

    @Test
    void parsesTheOlderLockInShareModeSpellingAsForShare() {
        StatementFacts facts = facts("SELECT id FROM orders WHERE id = 1 LOCK IN SHARE MODE /* legacy */");
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.sql()).endsWith("LOCK IN SHARE MODE /* legacy */");
        assertThat(facts.tables()).containsExactly(new TableRef("app", "orders", TableAccess.READ));
    }
}
