package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.policy.Decision;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link LineageQuestion#combined}: the decision a masked statement proceeds with. */
class LineageQuestionTest {

    private static final Decision.Obligations TEN_ROWS = new Decision.Obligations(Optional.of(10L), Optional.empty());
    private static final Decision.Obligations FIVE_ROWS = new Decision.Obligations(Optional.of(5L), Optional.empty());
    private static final Decision.MaskRule NULL = new Decision.MaskRule("null", Map.of());
    private static final Decision.MaskRule REDACT = new Decision.MaskRule("redact", Map.of());

    private static Decision.Mask first(boolean reaskOnExecute) {
        return new Decision.Mask(
                "first",
                Optional.of("d-1"),
                Map.of("shop.customers.ssn", NULL),
                TEN_ROWS,
                new Decision.Caching(Duration.ofSeconds(30), true, reaskOnExecute));
    }

    @Test
    void takesReasonIdAndObligationsFromTheSecondAnswerAndMasksFromBoth() {
        Decision second = new Decision.Mask(
                "second",
                Optional.of("d-2"),
                Map.of("shop.customers.ssn", REDACT, "shop.customers.name", REDACT),
                FIVE_ROWS,
                Decision.Caching.NEVER);

        Decision.Mask combined = LineageQuestion.combined(first(false), second);

        assertThat(combined.reason()).isEqualTo("second");
        assertThat(combined.decisionId()).contains("d-2");
        assertThat(combined.obligations()).isEqualTo(FIVE_ROWS);
        assertThat(combined.masks())
                .containsExactlyInAnyOrderEntriesOf(Map.of("shop.customers.ssn", NULL, "shop.customers.name", REDACT));
    }

    @Test
    void anAllowKeepsTheFirstAnswersMasksWithItsOwnObligations() {
        Decision second = new Decision.Allow("second", Optional.empty(), FIVE_ROWS, Decision.Caching.NEVER);

        Decision.Mask combined = LineageQuestion.combined(first(false), second);

        assertThat(combined.masks()).containsOnlyKeys("shop.customers.ssn");
        assertThat(combined.obligations()).isEqualTo(FIVE_ROWS);
    }

    @Test
    void keepsTheFirstAnswersCachingAndReasksAtExecuteWhenEitherAnswerAsks() {
        Decision second = new Decision.Allow(
                "second",
                Optional.empty(),
                Decision.Obligations.NONE,
                new Decision.Caching(Duration.ZERO, false, true));

        Decision.Caching caching =
                LineageQuestion.combined(first(false), second).caching();

        assertThat(caching).isEqualTo(new Decision.Caching(Duration.ofSeconds(30), true, true));
        assertThat(LineageQuestion.combined(
                                first(true),
                                new Decision.Allow(
                                        "second", Optional.empty(), Decision.Obligations.NONE, Decision.Caching.NEVER))
                        .caching()
                        .reaskOnExecute())
                .isTrue();
    }
}
