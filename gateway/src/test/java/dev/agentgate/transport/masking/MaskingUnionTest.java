package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.transport.masking.RelayedResponses.MaskColumnsNamed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingUnionTest {

    private static final MaskingStrategies STRATEGIES =
            MaskingStrategies.builtIn("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final MaskingStrategy REDACT = STRATEGIES.create("redact", Map.of());
    private static final MaskingStrategy NULL = STRATEGIES.create("null", Map.of());
    private static final List<ColumnOrigin> COLUMNS = List.of(
            new ColumnOrigin("appdb", "people", "id"),
            new ColumnOrigin("appdb", "people", "ssn"),
            new ColumnOrigin("appdb", "people", "email"));

    @Test
    void masksEveryColumnThatEitherMaskingMasks() {
        ResponseMasking union =
                MaskingUnion.of(new MaskColumnsNamed(REDACT, "ssn"), new MaskColumnsNamed(NULL, "email"));

        MaskPlan plan = union.planFor(0, COLUMNS);

        assertThat(plan.strategy(0)).isEmpty();
        assertThat(plan.strategy(1)).containsSame(REDACT);
        assertThat(plan.strategy(2)).containsSame(NULL);
    }

    @Test
    void takesTheFirstMaskingsStrategyForAColumnBothMask() {
        ResponseMasking union =
                MaskingUnion.of(new MaskColumnsNamed(NULL, "ssn"), new MaskColumnsNamed(REDACT, "ssn", "id"));

        MaskPlan plan = union.planFor(0, COLUMNS);

        assertThat(plan.strategy(1)).containsSame(NULL);
        assertThat(plan.strategy(0)).containsSame(REDACT);
    }

    @Test
    void leavesOutAMaskingThatMasksNothing() {
        ResponseMasking ssn = new MaskColumnsNamed(REDACT, "ssn");

        assertThat(MaskingUnion.of(ResponseMasking.NONE, ssn)).isSameAs(ssn);
        assertThat(MaskingUnion.of(ssn, ResponseMasking.NONE)).isSameAs(ssn);
        assertThat(MaskingUnion.of(ResponseMasking.NONE, ResponseMasking.NONE)).isSameAs(ResponseMasking.NONE);
    }
}
