package dev.agentgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "10s, PT10S", "5m, PT5M", "8h, PT8H", "1d, PT24H", "0s, PT0S"})
    void parsesAWholeNumberWithAUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "1.5s", "-1s", "10 s", "10S", "PT10S", "s", ""})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a duration like 250ms, 10s, 5m, 8h or 1d, was '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"PT0.25S, 250ms", "PT10S, 10s", "PT5M, 5m", "PT8H, 8h", "PT24H, 1d", "PT90S, 90s", "PT0S, 0ms"})
    void formatsInTheLargestExactUnit(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }
}
