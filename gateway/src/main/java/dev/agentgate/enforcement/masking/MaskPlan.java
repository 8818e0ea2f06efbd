package dev.agentgate.enforcement.masking;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which columns of one result set are masked and how: column index (0-based, in result set order) to strategy.
 * Columns not in the plan pass through unchanged. Immutable; built with {@link #builder()}.
 */
public final class MaskPlan {

    private static final MaskPlan NONE = new MaskPlan(Map.of());

    private final Map<Integer, MaskingStrategy> strategies;
    private final int lastMaskedColumn;

    private MaskPlan(Map<Integer, MaskingStrategy> strategies) {
        this.strategies = Map.copyOf(strategies);
        this.lastMaskedColumn =
                strategies.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    public static MaskPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return strategies.isEmpty();
    }

    public Optional<MaskingStrategy> strategy(int column) {
        return Optional.ofNullable(strategies.get(column));
    }

    /** Whether each of the {@code columns} columns of a result set is masked. */
    public boolean masksEvery(int columns) {
        for (int column = 0; column < columns; column++) {
            if (!strategies.containsKey(column)) {
                return false;
            }
        }
        return true;
    }

    /** The highest masked column index, -1 when nothing is masked. */
    public int lastMaskedColumn() {
        return lastMaskedColumn;
    }

    @Override
    public String toString() {
        return "MaskPlan" + new TreeMap<>(strategies);
    }

    public static final class Builder {

        private final Map<Integer, MaskingStrategy> strategies = new TreeMap<>();

        private Builder() {}

        /** Masks {@code column} with {@code strategy}; masking a column twice is refused as ambiguous. */
        public Builder mask(int column, MaskingStrategy strategy) {
            if (column < 0) {
                throw new IllegalArgumentException("column index must be >= 0, was " + column);
            }
            if (strategy == null) {
                throw new IllegalArgumentException("column " + column + " needs a masking strategy");
            }
            if (strategies.putIfAbsent(column, strategy) != null) {
                throw new IllegalArgumentException("column " + column + " is already masked");
            }
            return this;
        }

        public MaskPlan build() {
            return strategies.isEmpty() ? NONE : new MaskPlan(strategies);
        }
    }
}
