package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which statements approvers see a row count for, and the query that counts it. */
class CountedRowsTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(Duration.ofSeconds(5));

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    private static StatementFacts facts(String sql) {
        return ANALYZER.analyze(sql, "shop").statements().get(0);
    }

    @Test
    void aDeleteOfOneTableIsCountedWithItsOwnCondition() {
        assertThat(CountedRows.countQuery(facts("DELETE FROM orders WHERE id = 1")))
                .isEqualTo("SELECT COUNT(*) FROM shop.orders WHERE id = 1");
    }

    @Test
    void anUpdateWithAnAliasIsCountedWithTheAlias() {
        assertThat(CountedRows.countQuery(facts("UPDATE orders o SET note = 'x' WHERE o.id > 1")))
                .isEqualTo("SELECT COUNT(*) FROM shop.orders o WHERE o.id > 1");
    }

    @Test
    void aDeleteWithALimitIsNotCounted() {
        assertThat(CountedRows.countQuery(facts("DELETE FROM orders WHERE id > 1 LIMIT 2")))
                .isNull();
    }

    @Test
    void aDeleteOfTwoTablesIsNotCounted() {
        assertThat(CountedRows.countQuery(facts("DELETE o FROM orders o JOIN audit a ON a.id = o.id")))
                .isNull();
    }
}
