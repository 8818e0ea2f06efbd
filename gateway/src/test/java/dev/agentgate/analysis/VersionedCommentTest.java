package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionedCommentTest extends AnalyzerFixture {

    @Test
    void analysesTheContentOfAVersionedCommentAsMySqlExecutesIt() {
        StatementFacts facts = facts("SELECT a FROM t /*!50000 UNION SELECT authentication_string FROM mysql.user */");
        assertThat(facts.tables()).contains(new TableRef("mysql", "user", TableAccess.READ));
        assertThat(facts.has(Feature.VERSIONED_COMMENT)).isTrue();
    }

    @Test
    void analysesAVersionedCommentWithoutAVersionNumber() {
        StatementFacts facts = facts("SELECT 1 /*! , SLEEP(10) */");
        assertThat(facts.functions()).containsExactly("SLEEP");
        assertThat(facts.features()).contains(Feature.VERSIONED_COMMENT, Feature.SLEEP);
    }

    @Test
    void analysesAMariaDbVersionedComment() {
        StatementFacts facts = facts("/*M!100101 DROP TABLE users */");
        assertThat(facts.type()).isEqualTo(StatementType.DROP_TABLE);
        assertThat(facts.has(Feature.VERSIONED_COMMENT)).isTrue();
    }

    @Test
    void typesAStatementHiddenEntirelyInAVersionedComment() {
        assertThat(facts("/*!40000 DELETE FROM users */").type()).isEqualTo(StatementType.DELETE);
    }

    @Test
    void doesNotFlagAnOrdinaryCommentOrAnOptimizerHint() {
        assertThat(facts("/* DROP TABLE x */ SELECT /*+ NO_INDEX(t) */ a FROM t")
                        .features())
                .isEmpty();
    }

    @Test
    void doesNotFlagAVersionedCommentMarkerInsideAString() {
        StatementFacts facts = facts("SELECT '/*!50000 x */' FROM t");
        assertThat(facts.features()).isEmpty();
        assertThat(facts.tables()).containsExactly(new TableRef("app", "t", TableAccess.READ));
    }

    @Test
    void keepsTheTextAsSentInTheSqlField() {
        assertThat(facts("/*!50001 SELECT 1 */").sql()).isEqualTo("/*!50001 SELECT 1 */");
    }
}
