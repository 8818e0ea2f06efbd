package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The column lineage parses a statement right after its facts were collected; it takes over the facts' tree
 * for the same parser text instead of parsing again. What it gets must be exactly what a fresh parse gives.
 */
class ParsedStatementReuseTest extends AnalyzerFixture {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT id, email FROM customers WHERE id = 7",
                "/* report */ SELECT c.name, SUM(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.name # end",
                "WITH r AS (SELECT customer_id FROM orders) SELECT * FROM r",
                "SELECT email FROM customers WHERE id = 1 LOCK IN SHARE MODE",
                "SELECT email INTO @e FROM customers WHERE id = 1",
                "SELECT /*!40001 SQL_NO_CACHE */ email FROM customers",
                "PREPARE s FROM 'SELECT email FROM customers WHERE id = ?'",
                "UPDATE customers SET email = 'x' WHERE id = 2",
                "USE shop; SELECT email FROM customers; SELECT email FROM customers"
            })
    void theLineageGetsWhatAFreshParseGivesAfterTheFactsOfTheSameText(String sql) {
        List<StatementFacts> statements = analyzer.analyze(sql, "shop").statements();
        List<String> afterFacts = new ArrayList<>();
        for (StatementFacts statement : statements) { // as MaskingDecisions asks: statement by statement
            afterFacts.addAll(described(analyzer.parse(statement.sql())));
        }
        try (StatementAnalyzer fresh = new StatementAnalyzer(Duration.ofSeconds(10))) {
            assertThat(afterFacts).isEqualTo(described(fresh.parse(sql)));
        }
    }

    private static List<String> described(List<ParsedStatement> parsed) {
        return parsed.stream()
                .map(statement -> String.join(
                        " | ",
                        statement.sql(),
                        String.valueOf(statement.type()),
                        String.valueOf(statement.statement()),
                        String.valueOf(statement.parseError()),
                        String.valueOf(statement.selectKeywords()),
                        String.valueOf(statement.intoClause()),
                        String.valueOf(statement.preparedText()),
                        String.valueOf(statement.identifiers())))
                .toList();
    }
}
