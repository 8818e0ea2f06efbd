package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    private static List<String> split(String sql) {
        return StatementSplitter.split(sql).stream().map(StatementText::sql).toList();
    }

    @Test
    void splitsAtTopLevelSemicolons() {
        assertThat(split("SELECT 1; SELECT 2;SELECT 3")).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void doesNotSplitAtASemicolonInsideASingleQuotedString() {
        assertThat(split("SELECT 'a;b'; SELECT 2")).containsExactly("SELECT 'a;b'", "SELECT 2");
    }

    @Test
    void doesNotSplitAtASemicolonInsideADoubleQuotedString() {
        assertThat(split("SELECT \"a;b\"")).containsExactly("SELECT \"a;b\"");
    }

    @Test
    void treatsABackslashEscapedQuoteAsPartOfTheString() {
        assertThat(split("SELECT 'it\\'s;' ; SELECT 2")).containsExactly("SELECT 'it\\'s;'", "SELECT 2");
    }

    @Test
    void treatsADoubledQuoteAsPartOfTheString() {
        assertThat(split("SELECT 'it''s;'; SELECT 2")).containsExactly("SELECT 'it''s;'", "SELECT 2");
    }

    @Test
    void doesNotSplitAtASemicolonInsideABacktickedIdentifier() {
        assertThat(split("SELECT `a;b` FROM t; SELECT 2")).containsExactly("SELECT `a;b` FROM t", "SELECT 2");
    }

    @Test
    void doesNotSplitAtASemicolonInsideComments() {
        assertThat(split("SELECT 1 /* ; */ + 1 # ;\n; SELECT 2 -- ;\n"))
                .containsExactly("SELECT 1 /* ; */ + 1 # ;", "SELECT 2 -- ;");
    }

    @Test
    void readsDoubleDashWithoutASpaceAsTwoMinusSigns() {
        List<StatementText> statements = StatementSplitter.split("SELECT 1--1; SELECT 2");
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).tokens()).extracting(SqlToken::text).containsExactly("SELECT", "1", "-", "-", "1");
    }

    @Test
    void dropsEmptyStatementsAndCommentOnlyStatements() {
        assertThat(split(";; SELECT 1 ;  ; /* nothing */ ; -- x\n")).containsExactly("SELECT 1");
    }

    @Test
    void returnsNothingForBlankText() {
        assertThat(split("  \n\t ")).isEmpty();
    }

    @Test
    void keepsAStoredProcedureBodyInItsCreateStatement() {
        String create = "CREATE PROCEDURE p() BEGIN DECLARE x INT; IF x > 0 THEN SELECT 1; END IF; "
                + "SELECT CASE WHEN x THEN 1 ELSE 2 END; END";
        assertThat(split(create + "; SELECT 2")).containsExactly(create, "SELECT 2");
    }

    @Test
    void keepsATriggerBodyWithNestedBlocksTogether() {
        String create = "CREATE DEFINER=`root`@`%` TRIGGER trg BEFORE INSERT ON t FOR EACH ROW "
                + "BEGIN IF NEW.a IS NULL THEN BEGIN SET NEW.a = 1; END; END IF; END";
        assertThat(split(create + ";SELECT 3")).containsExactly(create, "SELECT 3");
    }

    @Test
    void splitsAtASemicolonInsideAVersionedCommentBecauseMySqlExecutesItsContent() {
        List<StatementText> statements = StatementSplitter.split("/*!40101 SET @a = 1; SET @b = 2 */");
        assertThat(statements).hasSize(2);
        assertThat(statements).allMatch(StatementText::versioned);
    }

    @Test
    void blanksCommentsAndVersionedMarkersInTheTextForTheParser() {
        StatementText text =
                StatementSplitter.split("SELECT /*!50001 a */ FROM t # c").get(0);
        assertThat(text.sql()).isEqualTo("SELECT /*!50001 a */ FROM t # c");
        assertThat(text.effective()).isEqualTo("SELECT          a    FROM t");
    }

    @Test
    void runsAnUnterminatedStringToTheEndWithoutSplitting() {
        assertThat(split("SELECT 'abc; SELECT 2")).containsExactly("SELECT 'abc; SELECT 2");
    }
}
