package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One session's statement that the parser cannot finish in time does not cost another session its parses, and a
 * statement beyond the size limits is refused before it reaches the parser.
 */
class ParserFairnessTest {

    /** Eleven nested IN subqueries: seconds to parse, far past the 200 ms budget below, and it does not stop there. */
    private static final String SLOW =
            "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(11) + "(1)" + ")".repeat(11);

    @BeforeAll
    static void warmUpTheParser() {
        try (BoundedSqlParser generous = new BoundedSqlParser(Duration.ofSeconds(10), 1)) {
            for (int i = 0; i < 50; i++) {
                generous.parse("SELECT a, b FROM t WHERE c = " + i);
            }
        }
    }

    @Test
    void aSessionsStatementsAreParsedWhileAnotherSessionsParseRunsPastItsBudget() {
        try (BoundedSqlParser parser = new BoundedSqlParser(Duration.ofMillis(200), 1)) {
            assertThat(parser.parse(SLOW, "session-a").error()).isEqualTo("parse timed out after 200 ms");
            for (int i = 0; i < 12; i++) {
                assertThat(parser.parse("SELECT a FROM t WHERE b = " + i, "session-b")
                                .error())
                        .as("statement %d of session b", i)
                        .isNull();
            }
        }
    }

    @Test
    void aSessionWhoseParseRunsPastItsBudgetGetsNoOtherParseUntilItEnds() {
        try (BoundedSqlParser parser = new BoundedSqlParser(Duration.ofMillis(200), 2)) {
            parser.parse(SLOW, "session-a");
            assertThat(parser.parse("SELECT 1", "session-a").error())
                    .isEqualTo("not parsed: this session's previous statement is still being parsed");
        }
    }

    @Test
    void sixtyFiveThousandPlaceholdersAreRefusedBeforeParsing() {
        String sql = "INSERT INTO t VALUES "
                + IntStream.range(0, 65_535).mapToObj(i -> "(?)").collect(Collectors.joining(","));
        try (StatementAnalyzer analyzer = new StatementAnalyzer(Duration.ofSeconds(30))) {
            long start = System.nanoTime();
            StatementFacts facts = analyzer.analyze(sql, "app").statements().get(0);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(facts.parsed()).isFalse();
            assertThat(facts.parseError())
                    .isEqualTo("statement too large to analyse: 262143 tokens (the limit is 20000 tokens)");
        }
    }

    @Test
    void manyPlaceholdersAreRefusedBeforeParsing() {
        String sql = "SELECT ?" + "+?".repeat(5_000);
        assertThat(StatementSize.excess(MySqlLexer.tokenize(sql)))
                .contains("statement too large to analyse: 5001 placeholders (the limit is 4096 placeholders)");
    }

    @Test
    void aThousandNestedParenthesesAreRefusedBeforeParsing() {
        String sql = "SELECT " + "(".repeat(1000) + "1" + ")".repeat(1000);
        try (StatementAnalyzer analyzer = new StatementAnalyzer(Duration.ofSeconds(30))) {
            long start = System.nanoTime();
            StatementFacts facts = analyzer.analyze(sql, "app").statements().get(0);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(facts.parseError())
                    .isEqualTo(
                            "statement too large to analyse: parentheses nested deeper than 12 levels (the limit is 12 levels)");
        }
    }

    @Test
    void nestedSubqueriesBeyondTheLimitAreRefusedButFunctionCallsNestDeeper() {
        String subqueries =
                "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(13) + "(1)" + ")".repeat(13);
        String calls = "SELECT " + "abs(".repeat(40) + "1" + ")".repeat(40);
        assertThat(StatementSize.excess(MySqlLexer.tokenize(subqueries))).isPresent();
        assertThat(StatementSize.excess(MySqlLexer.tokenize(calls))).isEmpty();
    }
}
