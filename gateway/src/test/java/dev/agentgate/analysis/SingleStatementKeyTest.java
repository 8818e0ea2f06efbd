package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lexer-only cache key must name exactly what the full analysis reports, or cached decisions would miss or, worse, be misattributed. */
class SingleStatementKeyTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer();

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT c FROM sbtest1 WHERE id=4711",
                "  select * from `shop`.`orders` where id in (1, 2, 3) ;  ",
                "UPDATE t SET a = 'x;y' WHERE id = 1",
                "DELETE FROM t /* trailing; comment */",
                "/*!50000 SELECT ssn */ FROM customers",
                "SHOW TABLES"
            })
    void theKeyIsTheFullAnalysisTextAndDigest(String sql) {
        StatementFacts facts = ANALYZER.analyze(sql, "shop").statements().get(0);
        assertThat(ANALYZER.singleStatementKey(sql))
                .map(key -> List.of(key.sql(), key.digest()))
                .contains(List.of(facts.sql(), facts.digest()));
    }

    @Test
    void statementsThatDifferOnlyInLiteralsShareTheDigest() {
        assertThat(ANALYZER.singleStatementKey("SELECT c FROM t WHERE id = 1")
                        .orElseThrow()
                        .digest())
                .isEqualTo(ANALYZER.singleStatementKey("SELECT c FROM t WHERE id = 2")
                        .orElseThrow()
                        .digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1; SELECT 2", "USE shop", "PREPARE s FROM 'SELECT 1'", ""})
    void batchesUsePrepareAndEmptyQueriesHaveNoQuickKey(String sql) {
        assertThat(ANALYZER.singleStatementKey(sql)).isEmpty();
    }
}
