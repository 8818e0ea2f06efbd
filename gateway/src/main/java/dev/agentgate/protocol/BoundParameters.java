package dev.agentgate.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parameter values of one COM_STMT_EXECUTE, decoded by {@link BinaryParameterValues}.
 *
 * @param types the types the values were read with: sent in this packet or remembered from an earlier one
 * @param newParamsBound whether this packet sent the types (the server remembers them for later executes)
 * @param values in parameter order: {@code null} for SQL NULL, {@link Long} or {@link java.math.BigInteger}
 *     (unsigned above {@code Long.MAX_VALUE}) for integers, {@link Float}/{@link Double}, {@link String} for
 *     text, decimals and temporal values (ISO 8601 text), {@code byte[]} for binary values
 */
public record BoundParameters(List<ParameterType> types, boolean newParamsBound, List<Object> values) {

    public static final BoundParameters NONE = new BoundParameters(List.of(), false, List.of());

    public BoundParameters {
        types = List.copyOf(types);
        // List.copyOf refuses nulls, and NULL is a value here.
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (types.size() != values.size()) {
            throw new IllegalArgumentException(
                    "one type per value expected, was " + types.size() + " types for " + values.size() + " values");
        }
    }
}
