package dev.agentgate.enforcement.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskPlanTest {

    private final MaskingStrategy nullStrategy = new NullStrategy();

    @Test
    void mapsColumnIndexesToStrategies() {
        MaskPlan plan =
                MaskPlan.builder().mask(3, nullStrategy).mask(1, nullStrategy).build();

        assertThat(plan.strategy(3)).containsSame(nullStrategy);
        assertThat(plan.strategy(2)).isEmpty();
        assertThat(plan.lastMaskedColumn()).isEqualTo(3);
        assertThat(plan.isEmpty()).isFalse();
    }

    @Test
    void anEmptyPlanMasksNothing() {
        assertThat(MaskPlan.builder().build().isEmpty()).isTrue();
        assertThat(MaskPlan.none().lastMaskedColumn()).isEqualTo(-1);
    }

    @Test
    void refusesMaskingAColumnTwice() {
        MaskPlan.Builder builder = MaskPlan.builder().mask(0, nullStrategy);

        assertThatThrownBy(() -> builder.mask(0, new EmailStrategy()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 0 is already masked");
    }

    @Test
    void refusesANegativeColumnIndex() {
        assertThatThrownBy(() -> MaskPlan.builder().mask(-1, nullStrategy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column index must be >= 0, was -1");
    }
}
