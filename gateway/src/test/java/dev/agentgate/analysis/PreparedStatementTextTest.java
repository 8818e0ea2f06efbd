package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreparedStatementTextTest extends AnalyzerFixture {

    @Test
    void reportsWhatAPrepareFromAStringLiteralWouldTouch() {
        StatementFacts facts = facts("PREPARE s FROM 'DELETE FROM users WHERE name = ''x'''");
        assertThat(facts.type()).isEqualTo(StatementType.PREPARE);
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.tables()).containsExactly(new TableRef("app", "users", TableAccess.WRITE));
        assertThat(facts.whereClause()).isTrue();
    }

    @Test
    void givesPreparesOfDifferentTextsDifferentDigests() {
        StatementFacts select = facts("PREPARE s FROM 'SELECT * FROM t'");
        StatementFacts drop = facts("PREPARE s FROM 'DROP TABLE t'");
        assertThat(select.digest()).isEqualTo("PREPARE `s` FROM ( SELECT * FROM `t` )");
        assertThat(drop.digestHash()).isNotEqualTo(select.digestHash());
    }

    @Test
    void reportsAPrepareFromAVariableAsUnparsed() {
        StatementFacts facts = facts("PREPARE s FROM @sql");
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError()).isEqualTo("prepared text is not a string literal");
    }

    @Test
    void unescapesBackslashSequencesOfThePreparedText() {
        assertThat(PreparedText.unescape("a\\'b\\nc''d", '\'')).isEqualTo("a'b\nc'd");
    }
}
