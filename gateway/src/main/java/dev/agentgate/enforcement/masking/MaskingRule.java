package dev.agentgate.enforcement.masking;

import dev.agentgate.analysis.lineage.MaskedColumns;
import dev.agentgate.analysis.lineage.SourceColumn;
import java.util.Objects;

/**
 * One mask of a policy decision, ready to apply: the source-column pattern it covers and the strategy made from
 * its name and parameters. Immutable.
 */
public final class MaskingRule {

    private final String pattern;
    private final MaskedColumns matcher;
    private final String strategyName;
    private final MaskingStrategy strategy;

    /**
     * @param pattern {@code schema.table.column}, {@code *} wildcards within a part
     * @throws IllegalArgumentException when the pattern is not of that form
     */
    public MaskingRule(String pattern, String strategyName, MaskingStrategy strategy) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.matcher = MaskedColumns.of(pattern);
        this.strategyName = Objects.requireNonNull(strategyName, "strategyName");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    public String pattern() {
        return pattern;
    }

    /** The name the policy used, e.g. {@code partial}. */
    public String strategyName() {
        return strategyName;
    }

    public MaskingStrategy strategy() {
        return strategy;
    }

    public boolean matches(SourceColumn column) {
        return matcher.matches(column);
    }

    @Override
    public String toString() {
        return pattern + " -> " + strategyName;
    }
}
