package dev.agentgate.analysis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One shared analyzer per test class, as the gateway shares one. */
abstract class AnalyzerFixture {

    static StatementAnalyzer analyzer;

    @BeforeAll
    static void startAnalyzer() {
        analyzer = new StatementAnalyzer();
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
