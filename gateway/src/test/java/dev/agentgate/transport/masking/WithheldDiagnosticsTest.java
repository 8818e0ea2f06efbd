package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.protocol.ErrPacket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WithheldDiagnosticsTest {

    private static final ColumnOrigin EXPRESSION = new ColumnOrigin("", "", "");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SHOW WARNINGS",
                "show warnings limit 1",
                "  SHOW ERRORS",
                "SHOW/* why */WARNINGS",
                "SHOW COUNT(*) WARNINGS",
                "show count ( * ) errors",
                "SELECT 1; SHOW WARNINGS",
                "SHOW -- c\nWARNINGS"
            })
    void recognisesAStatementThatShowsDiagnostics(String sql) {
        assertThat(WithheldDiagnostics.isDiagnosticsQuery(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SHOW TABLES",
                "SELECT warnings FROM log",
                "SHOW VARIABLES LIKE 'max_error_count'",
                "SELECT @@warning_count"
            })
    void letsOtherStatementsBe(String sql) {
        assertThat(WithheldDiagnostics.isDiagnosticsQuery(sql)).isFalse();
    }

    @Test
    void withholdsTheCodeAndMessageColumnsOfALevelCodeMessageResult() {
        MaskPlan plan = WithheldDiagnostics.MASKING.planFor(0, List.of(EXPRESSION, EXPRESSION, EXPRESSION));
        assertThat(plan.strategy(0)).as("Level").isEmpty();
        assertThat(plan.strategy(1)).as("Code").isPresent();
        assertThat(plan.strategy(2)).as("Message").isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {1064, 1149, 1065})
    void aBackendErrorOfAStatementTheServerCouldNotParseBecomesTheGenericSyntaxError(int code) {
        ErrPacket generic = WithheldDiagnostics.genericError(new ErrPacket(code, "42000", "near 'x' at line 1"));
        assertThat(generic).isEqualTo(new ErrPacket(1064, "42000", WithheldDiagnostics.MALFORMED_MESSAGE));
    }

    @ParameterizedTest
    @ValueSource(ints = {1242, 1292, 1366, 1062, 1690, 1105})
    void anyOtherBackendErrorBecomesTheGenericRunTimeError(int code) {
        ErrPacket generic =
                WithheldDiagnostics.genericError(new ErrPacket(code, "22007", "Incorrect value: '123-45-6789'"));
        assertThat(generic).isEqualTo(new ErrPacket(1105, "HY000", WithheldDiagnostics.FAILED_MESSAGE));
    }

    @Test
    void keepsTheCountOfShowCountWarnings() {
        assertThat(WithheldDiagnostics.MASKING.planFor(0, List.of(EXPRESSION)).isEmpty())
                .isTrue();
    }
}
