package dev.agentgate.enforcement.masking;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters a policy gave a masking strategy (JSON values: strings, numbers). Unknown parameters are refused
 * rather than ignored, so a misspelt {@code keep_lats} cannot quietly reveal more than intended.
 */
public final class StrategyParams {

    private final String strategy;
    private final Map<String, ?> values;

    public StrategyParams(String strategy, Map<String, ?> values) {
        this.strategy = strategy;
        this.values = values == null ? Map.of() : Map.copyOf(values);
    }

    /** Refuses any parameter not in {@code known}. */
    public StrategyParams allowOnly(String... known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(Set.of(known));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("masking strategy '" + strategy + "' has no parameter " + unknown
                    + " (it takes " + (known.length == 0 ? "none" : String.join(", ", known)) + ")");
        }
        return this;
    }

    /** A non-empty string parameter, or {@code fallback} when absent. */
    public String text(String name, String fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isEmpty()) {
            throw invalid(name, "a non-empty string", value);
        }
        return text;
    }

    /** A non-negative whole number parameter (a JSON number or its string form), or {@code fallback} when absent. */
    public int nonNegativeInt(String name, int fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long number = value instanceof Number n && n.doubleValue() == n.longValue()
                    ? n.longValue()
                    : Long.parseLong(value.toString());
            if (number >= 0 && number <= Integer.MAX_VALUE) {
                return (int) number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw invalid(name, "a whole number >= 0", value);
    }

    private IllegalArgumentException invalid(String name, String expected, Object value) {
        return new IllegalArgumentException(
                "masking strategy '" + strategy + "': parameter '" + name + "' must be " + expected + ", was " + value);
    }
}
