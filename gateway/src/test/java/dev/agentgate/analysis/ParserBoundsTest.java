package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParserBoundsTest {

    /** About 1 MB: a WHERE with tens of thousands of OR terms, too much to parse in the default 200 ms. */
    private static final String ONE_MEGABYTE_QUERY = "SELECT * FROM t WHERE "
            + IntStream.range(0, 80_000).mapToObj(i -> "a = " + i).collect(Collectors.joining(" OR "));

    /** Within the size limits (ten nested subqueries), but far more than 50 ms to parse. */
    private static final String SLOW_QUERY =
            "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(10) + "(1)" + ")".repeat(10);

    private static StatementAnalyzer analyzer;

    @BeforeAll
    static void startAnalyzerWithTheDefaultBudget() {
        analyzer = new StatementAnalyzer();
    }

    @AfterAll
    static void stopAnalyzer() {
        analyzer.close();
    }

    private static StatementFacts facts(String sql) {
        return analyzer.analyze(sql, "app").statements().get(0);
    }

    @Test
    void parsesWithADefaultTimeoutOf200Milliseconds() {
        assertThat(StatementAnalyzer.DEFAULT_PARSE_TIMEOUT).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void reportsAStatementThatTakesLongerThanTheBudgetAsUnparsed() {
        try (StatementAnalyzer impatient = new StatementAnalyzer(Duration.ofMillis(1))) {
            StatementFacts facts =
                    impatient.analyze(SLOW_QUERY, "app").statements().get(0);
            assertThat(facts.parsed()).isFalse();
            assertThat(facts.parseError()).isEqualTo("parse timed out after 1 ms");
            assertThat(facts.type()).isEqualTo(StatementType.SELECT);
        }
    }

    @Test
    void analysesAOneMegabyteStatementInBoundedTimeWithADigest() {
        assertThat(ONE_MEGABYTE_QUERY.length()).isGreaterThan(1_000_000);
        long start = System.nanoTime();
        StatementFacts facts = facts(ONE_MEGABYTE_QUERY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(facts.digest()).startsWith("SELECT * FROM `t` WHERE `a` = ? OR `a` = ?");
        assertThat(facts.digestHash()).hasSize(64);
    }

    @Test
    void keepsWorkingAfterATimeout() {
        try (StatementAnalyzer analyzer = new StatementAnalyzer(Duration.ofMillis(50))) {
            assertThat(analyzer.analyze(SLOW_QUERY, "app").statements().get(0).parseError())
                    .startsWith("parse timed out");
            assertThat(analyzer.analyze("SELECT a FROM t", "app")
                            .statements()
                            .get(0)
                            .parsed())
                    .isTrue();
        }
    }

    @Test
    void survivesDeeplyNestedParentheses() {
        String deep = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000);
        StatementFacts facts = facts(deep);
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.parseError()).isNotBlank();
    }

    @Test
    void neverThrowsForGarbage() {
        for (String garbage : new String[] {
            "",
            ";",
            "'",
            "`",
            "\"",
            "/*",
            "/*!",
            "*/",
            "#",
            "-- ",
            "@",
            "@@",
            "0x",
            "b'",
            "\\",
            "SELECT",
            ")(",
            "\u0000\u0001",
            "SELECT \uD83D\uDE00 FROM t",
            "DROP",
            "CREATE",
            "WITH",
            "EXPLAIN",
            "LOCK TABLES",
            "GRANT ON",
            "SHOW COLUMNS FROM",
            "RENAME TABLE a TO",
            "INSERT INTO",
            "UPDATE t SET",
            "DELETE"
        }) {
            assertThatCode(() -> analyzer.analyze(garbage, null)).as(garbage).doesNotThrowAnyException();
        }
    }

    @Test
    void reportsAnEmptyQueryAsOneUnparsedStatement() {
        Analysis analysis = analyzer.analyze("  /* just a comment */ ", "app");
        assertThat(analysis.statements()).singleElement().satisfies(facts -> {
            assertThat(facts.type()).isEqualTo(StatementType.OTHER);
            assertThat(facts.parsed()).isFalse();
            assertThat(facts.parseError()).isEqualTo("empty query");
        });
    }

    @Test
    void rejectsANonPositiveTimeoutWithAMessageNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StatementAnalyzer(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parse timeout must be positive, was PT0S");
    }
}
