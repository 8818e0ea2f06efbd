package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import java.util.List;
import java.util.Optional;

/**
 * Two maskings of the same response applied together: a column masked by either is masked. Where both mask a
 * column, the first one's strategy wins (an EXECUTE's own decision before its PREPARE's, a statement's own masks
 * before the withheld diagnostics).
 */
public final class MaskingUnion implements ResponseMasking {

    private final ResponseMasking first;
    private final ResponseMasking second;

    private MaskingUnion(ResponseMasking first, ResponseMasking second) {
        this.first = first;
        this.second = second;
    }

    /** Both maskings; one that masks nothing is left out (so {@code of(NONE, NONE)} is NONE). */
    public static ResponseMasking of(ResponseMasking first, ResponseMasking second) {
        if (!second.masksAnything()) {
            return first;
        }
        return first.masksAnything() ? new MaskingUnion(first, second) : second;
    }

    @Override
    public boolean masksAnything() {
        return true;
    }

    @Override
    public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
        MaskPlan firstPlan = first.planFor(resultIndex, columns);
        MaskPlan secondPlan = second.planFor(resultIndex, columns);
        if (secondPlan.isEmpty()) {
            return firstPlan;
        }
        if (firstPlan.isEmpty()) {
            return secondPlan;
        }
        MaskPlan.Builder union = MaskPlan.builder();
        // Up to the last column either plan names, so that a plan naming a missing column is still refused.
        int end = Math.max(columns.size(), Math.max(firstPlan.lastMaskedColumn(), secondPlan.lastMaskedColumn()) + 1);
        for (int column = 0; column < end; column++) {
            Optional<MaskingStrategy> strategy = firstPlan.strategy(column);
            if (strategy.isEmpty()) {
                strategy = secondPlan.strategy(column);
            }
            if (strategy.isPresent()) {
                union.mask(column, strategy.get());
            }
        }
        return union.build();
    }

    /** Both maskings are of the same statement: either lineage may trace the column. */
    @Override
    public boolean tracesTo(int resultIndex, int column, ColumnOrigin origin) {
        return first.tracesTo(resultIndex, column, origin) || second.tracesTo(resultIndex, column, origin);
    }

    @Override
    public String toString() {
        return "MaskingUnion(" + first + ", " + second + ")";
    }
}
