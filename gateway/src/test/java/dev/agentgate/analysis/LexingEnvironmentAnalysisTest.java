package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The analysis reads each statement in the session's lexing mode and refuses what it cannot read as the server does. */
class LexingEnvironmentAnalysisTest extends AnalyzerFixture {

    private static final LexingMode MARIADB = LexingMode.atLogin("5.5.5-10.11.14-MariaDB-0+deb12u2", 45);

    private static List<StatementFacts> statements(String sql, LexingMode mode) {
        return analyzer.analyze(sql, "shop", mode).statements();
    }

    @Test
    void seesTheColumnAnAnsiQuotedIdentifierNames() {
        StatementFacts facts = statements("SELECT \"ssn\" FROM customers", MARIADB.withSqlMode("ANSI_QUOTES"))
                .get(0);
        assertThat(facts.sql()).isEqualTo("SELECT `ssn` FROM customers");
        assertThat(facts.parsed()).isTrue();
    }

    @Test
    void seesTheSelectListAStringHidesWithoutBackslashEscapes() {
        StatementFacts facts = statements(
                        "SELECT 'x\\', ssn, '\\' FROM customers", MARIADB.withSqlMode("NO_BACKSLASH_ESCAPES"))
                .get(0);
        assertThat(facts.sql()).isEqualTo("SELECT 'x\\\\', ssn, '\\\\' FROM customers");
        assertThat(facts.parsed()).isTrue();
    }

    @Test
    void reportsUnreadableTextUnparsedWithTheReason() {
        StatementFacts facts = statements("SELECT 1\0 UNION SELECT ssn FROM customers", MARIADB)
                .get(0);
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError())
                .isEqualTo(
                        "agentgate cannot read this statement exactly as the server does: a NUL byte outside a string");
    }

    @Test
    void refusesTheStatementsOfABatchAfterOneThatMayChangeTheSqlMode() {
        List<StatementFacts> facts = statements("SET sql_mode = 'ANSI_QUOTES'; SELECT \"ssn\" FROM customers", MARIADB);
        assertThat(facts.get(0).parsed()).isTrue();
        assertThat(facts.get(1).parsed()).isFalse();
        assertThat(facts.get(1).parseError()).contains("follows a set statement");
    }

    @Test
    void doesNotRefuseABatchAfterASetOfUserVariablesOnly() {
        List<StatementFacts> facts = statements("SET @a = 1, @b = 2; SELECT id FROM customers", MARIADB);
        assertThat(facts.get(1).parsed()).isTrue();
    }

    @Test
    void refusesAChangeOfTheSessionTrackingInABatch() {
        StatementFacts facts = statements("SELECT 1; SET session_track_system_variables = ''", MARIADB)
                .get(1);
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError()).contains("session tracking");
    }

    @Test
    void letsAChangeOfTheSessionTrackingOnItsOwnThroughToBeKeptTracking() {
        StatementFacts facts = statements("SET sql_mode = '', session_track_system_variables = 'autocommit'", MARIADB)
                .get(0);
        assertThat(facts.parsed()).isTrue();
        assertThat(SessionTracking.setsTrackingList(facts)).isTrue();
        assertThat(SessionTracking.keepingTracked(facts.sql()))
                .isEqualTo("SET sql_mode = '', session_track_system_variables = 'autocommit'\n, "
                        + SessionTracking.KEEP_TRACKED);
    }

    @Test
    void refusesAStatementLevelChangeOfTheSessionTracking() {
        StatementFacts facts = statements("SET STATEMENT session_track_system_variables = '' FOR SELECT 1", MARIADB)
                .get(0);
        assertThat(facts.parsed()).isFalse();
    }

    @Test
    void analysesThePreparedTextInTheSessionsMode() {
        StatementFacts facts = statements(
                        "PREPARE s FROM 'SELECT \"ssn\" FROM customers WHERE \"id\" = 1'",
                        MARIADB.withSqlMode("ANSI_QUOTES"))
                .get(0);
        assertThat(facts.digest()).contains("ssn");
    }

    @Test
    void givesNoLexerOnlyKeyUnderAnsiQuotes() {
        assertThat(analyzer.singleStatementKey("SELECT \"ssn\" FROM customers", MARIADB.withSqlMode("ANSI_QUOTES")))
                .isEmpty();
    }

    @Test
    void givesNoLexerOnlyKeyForAStatementWithASkippedVersionedComment() {
        assertThat(analyzer.singleStatementKey("SELECT 1 /*!999999 , ssn */ FROM customers", MARIADB))
                .isEmpty();
    }

    @Test
    void writesASpacedBuiltinNameAsTheStoredFunctionTheServerCalls() {
        assertThat(statements("SELECT COUNT (ssn), MAX/**/(email), SUBSTRING\n(ssn, 1) FROM customers", MARIADB)
                        .get(0)
                        .sql())
                .isEqualTo("SELECT `COUNT` (ssn), `MAX`/**/(email), `SUBSTRING`\n(ssn, 1) FROM customers");
    }

    @Test
    void writesASpacedBuiltinNameUnderIgnoreSpaceAsTheBuiltinCall() {
        LexingMode ignoreSpace = MARIADB.withSqlMode("IGNORE_SPACE");
        assertThat(statements("SELECT COUNT  (ssn), MIN /* x */ (email) FROM customers", ignoreSpace)
                        .get(0)
                        .sql())
                .as("spaces may come between under IGNORE_SPACE, comments may not")
                .isEqualTo("SELECT COUNT(ssn), `MIN` /* x */ (email) FROM customers");
    }

    @Test
    void leavesNativeFunctionsAndNamesWithoutAParenthesisAsTheyAre() {
        assertThat(statements("SELECT CONCAT (ssn), count, max FROM customers", MARIADB)
                        .get(0)
                        .sql())
                .isEqualTo("SELECT CONCAT (ssn), count, max FROM customers");
    }
}
