package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureDetectionTest extends AnalyzerFixture {

    @Test
    void flagsIntoOutfileEvenThoughTheParserRejectsIt() {
        StatementFacts facts = facts("SELECT * FROM users INTO OUTFILE '/tmp/x'");
        assertThat(facts.features()).containsExactly(Feature.INTO_OUTFILE);
        assertThat(facts.type()).isEqualTo(StatementType.SELECT);
    }

    @Test
    void flagsAUserVariableButNotTheHostOfAnAccount() {
        assertThat(facts("SET @x = 1").features()).containsExactly(Feature.USER_VARIABLES);
        assertThat(facts("CREATE USER 'bob'@'%' IDENTIFIED BY 'pw'").features()).isEmpty();
        assertThat(facts("GRANT SELECT ON app.* TO `bob`@`localhost`").features())
                .isEmpty();
    }

    @Test
    void flagsSystemVariablesReadOrSet() {
        assertThat(facts("SELECT @@hostname").features()).containsExactly(Feature.SYSTEM_VARIABLES);
        assertThat(facts("SET GLOBAL read_only = 0").features()).containsExactly(Feature.SYSTEM_VARIABLES);
        assertThat(facts("SET sql_log_bin = 0").features()).containsExactly(Feature.SYSTEM_VARIABLES);
    }

    @Test
    void flagsDangerousFunctionsWhateverTheirCase() {
        assertThat(facts("select sleep(1), Benchmark(10, 1), load_file('/etc/passwd')")
                        .features())
                .containsExactly(Feature.BENCHMARK, Feature.LOAD_FILE, Feature.SLEEP);
    }

    @Test
    void doesNotMistakeAColumnNamedLikeAFunctionForACall() {
        assertThat(facts("SELECT sleep FROM naps").features()).isEmpty();
    }

    @Test
    void flagsLoadDataLocal() {
        assertThat(facts("LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t").features())
                .containsExactly(Feature.LOAD_DATA_LOCAL);
    }

    @Test
    void flagsExplainAnalyzeBecauseItExecutesTheStatement() {
        assertThat(facts("EXPLAIN ANALYZE SELECT * FROM t").features()).containsExactly(Feature.EXPLAIN_ANALYZE);
    }

    @Test
    void flagsEveryStatementOfABatch() {
        Analysis analysis = analyzer.analyze("SELECT 1; DROP TABLE users", "app");
        assertThat(analysis.statements())
                .extracting(StatementFacts::type)
                .containsExactly(StatementType.SELECT, StatementType.DROP_TABLE);
        assertThat(analysis.statements()).allMatch(facts -> facts.has(Feature.MULTIPLE_STATEMENTS));
        assertThat(analysis.isMultiStatement()).isTrue();
    }

    @Test
    void doesNotFlagASingleStatementWithATrailingSemicolon() {
        Analysis analysis = analyzer.analyze("SELECT 1;", "app");
        assertThat(analysis.isMultiStatement()).isFalse();
        assertThat(analysis.statements().get(0).features()).isEmpty();
    }

    @Test
    void reportsWhereAndLimitOfUpdateAndDelete() {
        StatementFacts unbounded = facts("DELETE FROM users");
        StatementFacts bounded = facts("UPDATE users SET a = 1 WHERE id = 2 LIMIT 1");
        assertThat(unbounded.whereClause()).isFalse();
        assertThat(unbounded.limitClause()).isFalse();
        assertThat(bounded.whereClause()).isTrue();
        assertThat(bounded.limitClause()).isTrue();
    }

    @Test
    void flagsEveryReadOfTheDiagnosticsArea() {
        for (String sql : List.of(
                "SHOW WARNINGS",
                "SHOW ERRORS LIMIT 1",
                "show /* x */ count(*) warnings",
                "SHOW COUNT(*) ERRORS",
                "GET DIAGNOSTICS @n = NUMBER",
                "GET CURRENT DIAGNOSTICS CONDITION 1 @c = MYSQL_ERRNO",
                "SELECT @@warning_count",
                "SELECT @@SESSION.Error_Count",
                "SELECT IF(@@session . `warning_count` > 0, 1, 0)",
                "SET @w = @@local.warning_count")) {
            assertThat(facts(sql).features()).as(sql).contains(Feature.DIAGNOSTICS_READS);
        }
    }

    @Test
    void doesNotTakeAColumnNamedErrorCountForTheDiagnosticsArea() {
        assertThat(facts("SELECT error_count FROM jobs").features()).isEmpty();
        assertThat(facts("SHOW TABLES").features()).isEmpty();
    }
}
