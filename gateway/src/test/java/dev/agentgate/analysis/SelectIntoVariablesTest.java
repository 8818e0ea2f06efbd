package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SELECT ... INTO @v (before FROM or at the end), alone or in a multi-statement, is analysed like its SELECT. */
class SelectIntoVariablesTest extends AnalyzerFixture {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT id INTO @uid FROM users WHERE email = 'a@b.c'",
                "SELECT id FROM users WHERE email = 'a@b.c' INTO @uid",
                "SELECT 1; SELECT id INTO @uid FROM users WHERE email = 'a@b.c'",
                "SELECT id, email INTO @uid, @mail FROM users LIMIT 1; SELECT @uid"
            })
    void aSelectIntoUserVariablesIsParsedAndReadsItsTable(String sql) {
        List<StatementFacts> statements = analyzer.analyze(sql, "app").statements();
        StatementFacts into = statements.stream()
                .filter(statement -> statement.features().contains(Feature.INTO_VARIABLES))
                .findFirst()
                .orElseThrow();

        assertThat(into.parsed()).as("parse error %s", into.parseError()).isTrue();
        assertThat(into.tables()).extracting(TableRef::name).containsExactly("users");
    }
}
