package dev.agentgate.analysis;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One shared analyzer per test class, as the gateway shares one. Its parse budget is generous: these tests
 * pin facts, not speed, and must not flake on a loaded machine; the budget itself is tested in ParserBoundsTest.
 */
abstract class AnalyzerFixture {

    static StatementAnalyzer analyzer;

    @BeforeAll
    static void startAnalyzer() {
        analyzer = new StatementAnalyzer(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopAnalyzer() {
        analyzer.close();
    }

    static StatementFacts facts(String sql, String currentDatabase) {
        return analyzer.analyze(sql, currentDatabase).statements().get(0);
    }

    static StatementFacts facts(String sql) {
        return facts(sql, "app");
    }
}
