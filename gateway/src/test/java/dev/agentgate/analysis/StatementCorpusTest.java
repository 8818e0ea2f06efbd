package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: every statement of analysis/statements.yaml yields the facts recorded beside it. */
class StatementCorpusTest extends AnalyzerFixture {

    private static final String CURRENT_DATABASE = "app";

    /** One corpus entry; list keys that are absent mean "none". */
    record Case(
            String sql,
            String type,
            Boolean parsed,
            List<String> tables,
            List<String> columns,
            List<String> databases,
            List<String> functions,
            List<String> features,
            @JsonProperty("where") Boolean whereClause,
            @JsonProperty("limit") Boolean limitClause,
            String digest) {

        List<String> orNone(List<String> values) {
            return values == null ? List.of() : values.stream().sorted().toList();
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        try (InputStream in = StatementCorpusTest.class.getResourceAsStream("/analysis/statements.yaml")) {
            List<Case> cases = new ObjectMapper(new YAMLFactory())
                    .readValue(Objects.requireNonNull(in, "corpus missing"), new TypeReference<>() {});
            return cases.stream().map(c -> Arguments.of(Named.of(c.sql(), c)));
        }
    }

    @Test
    void corpusHoldsMoreThan150Statements() throws IOException {
        assertThat(corpus().count()).isGreaterThan(150);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void yieldsTheRecordedFacts(Case expected) {
        List<StatementFacts> statements =
                analyzer.analyze(expected.sql(), CURRENT_DATABASE).statements();
        assertThat(statements).hasSize(1);
        StatementFacts actual = statements.get(0);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(actual.type().jsonName()).as("type").isEqualTo(expected.type());
        softly.assertThat(actual.parsed())
                .as("parsed (error: %s)", actual.parseError())
                .isEqualTo(!Boolean.FALSE.equals(expected.parsed()));
        softly.assertThat(CompactFacts.tables(actual)).as("tables").isEqualTo(expected.orNone(expected.tables()));
        softly.assertThat(CompactFacts.columns(actual)).as("columns").isEqualTo(expected.orNone(expected.columns()));
        softly.assertThat(actual.databases().stream().sorted().toList())
                .as("databases")
                .isEqualTo(expected.orNone(expected.databases()));
        softly.assertThat(CompactFacts.functions(actual))
                .as("functions")
                .isEqualTo(expected.orNone(expected.functions()));
        softly.assertThat(CompactFacts.features(actual)).as("features").isEqualTo(expected.orNone(expected.features()));
        if (expected.whereClause() != null) {
            softly.assertThat(actual.whereClause()).as("where_clause").isEqualTo(expected.whereClause());
            softly.assertThat(actual.limitClause()).as("limit_clause").isEqualTo(expected.limitClause());
        }
        if (expected.digest() != null) {
            softly.assertThat(actual.digest()).as("digest").isEqualTo(expected.digest());
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theLexerOnlyCacheKeyNamesWhatTheAnalysisReports(Case expected) {
        StatementFacts actual =
                analyzer.analyze(expected.sql(), CURRENT_DATABASE).statements().get(0);
        boolean unreadable = actual.parseError() != null && actual.parseError().startsWith("agentgate cannot read");
        boolean quickKeyExpected =
                actual.type() != StatementType.USE && actual.type() != StatementType.PREPARE && !unreadable;
        assertThat(analyzer.singleStatementKey(expected.sql()).map(key -> List.of(key.sql(), key.digest())))
                .isEqualTo(quickKeyExpected ? Optional.of(List.of(actual.sql(), actual.digest())) : Optional.empty());
    }
}
