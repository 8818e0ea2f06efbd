package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentgate.analysis.StatementAnalyzer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial, table-driven: every statement of lineage/cases.yaml, run against {@link ShopCatalog} with
 * {@code shop} as current database, yields the recorded lineage per output column and the recorded masked uses.
 */
class LineageCorpusTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(Duration.ofSeconds(10));
    private static final ColumnLineage LINEAGE = new ColumnLineage(ANALYZER);

    /** One case; {@code columns} in the compact notation of {@link ShopCatalog#compact}, uses as distinct "column use". */
    record Case(String name, String sql, List<String> columns, List<String> uses, Boolean complete) {}

    @AfterAll
    static void closeAnalyzer() {
        ANALYZER.close();
    }

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = LineageCorpusTest.class.getResourceAsStream("/lineage/cases.yaml")) {
            List<Case> cases = new ObjectMapper(new YAMLFactory())
                    .readValue(Objects.requireNonNull(in, "cases missing"), new TypeReference<>() {});
            return cases.stream().map(c -> Arguments.of(Named.of(c.name() + ": " + c.sql(), c)));
        }
    }

    @Test
    void corpusHoldsMoreThan80Statements() throws IOException {
        assertThat(cases().count()).isGreaterThan(80);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void yieldsTheRecordedLineageAndUses(Case expected) {
        List<StatementLineage> statements =
                LINEAGE.analyze(expected.sql(), "shop", ShopCatalog.catalog(), ShopCatalog.MASKED);
        assertThat(statements).hasSize(1);
        StatementLineage actual = statements.get(0);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(actual.columns().stream()
                        .map(column -> ShopCatalog.compact(column.lineage()))
                        .toList())
                .as("columns")
                .isEqualTo(ShopCatalog.normalise(expected.columns()));
        softly.assertThat(actual.maskedUses().stream()
                        .map(ShopCatalog::compact)
                        .distinct()
                        .sorted()
                        .toList())
                .as("masked uses")
                .isEqualTo(
                        ShopCatalog.normalise(expected.uses()).stream().sorted().toList());
        softly.assertThat(actual.complete())
                .as("complete (reason: %s)", actual.incompleteReason())
                .isEqualTo(!Boolean.FALSE.equals(expected.complete()));
        softly.assertAll();
    }
}
