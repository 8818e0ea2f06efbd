package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WithheldDiagnosticsTest {

    private static final ColumnOrigin EXPRESSION = new ColumnOrigin("", "", "");

    @ParameterizedTest
    @ValueSource(strings = {"SHOW WARNINGS", "show warnings limit 1", "  SHOW ERRORS", "SHOW/* why */WARNINGS",
            "SHOW COUNT(*) WARNINGS", "show count ( * ) errors", "SELECT 1; SHOW WARNINGS", "SHOW -- c\nWARNINGS"})
    void recognisesAStatementThatShowsDiagnostics(String sql) {
        assertThat(WithheldDiagnostics.isDiagnosticsQuery(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW TABLES", "SELECT warnings FROM log", "SHOW VARIABLES LIKE 'max_error_count'",
            "SELECT @@warning_count"})
    void letsOtherStatementsBe(String sql) {
        assertThat(WithheldDiagnostics.isDiagnosticsQuery(sql)).isFalse();
    }

    @Test
    void withholdsTheMessageColumnOfALevelCodeMessageResult() {
        assertThat(WithheldDiagnostics.MASKING.planFor(0, List.of(EXPRESSION, EXPRESSION, EXPRESSION)).strategy(2)).isPresent();
        assertThat(WithheldDiagnostics.MASKING.planFor(0, List.of(EXPRESSION, EXPRESSION, EXPRESSION)).lastMaskedColumn())
                .isEqualTo(2);
    }

    @Test
    void keepsTheCountOfShowCountWarnings() {
        assertThat(WithheldDiagnostics.MASKING.planFor(0, List.of(EXPRESSION)).isEmpty()).isTrue();
    }
}
