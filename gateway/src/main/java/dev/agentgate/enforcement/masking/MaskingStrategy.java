package dev.agentgate.enforcement.masking;

/**
 * Turns a clear column value into its masked form. Values are the text protocol's bytes of the value (digits for
 * numbers, {@code 2024-01-31} for dates), so a value masks alike in text and binary result sets. SQL NULL is passed
 * in only to a strategy that {@link #masksNull() masks NULL}; for every other one NULL stays NULL. Implementations
 * are immutable and thread-safe.
 */
public interface MaskingStrategy {

    /**
     * The masked form of {@code value}, or null for SQL NULL. {@code value} is null (SQL NULL) only when
     * {@link #masksNull()}. The result may be shared between calls: callers only read it.
     */
    byte[] mask(byte[] value, ValueEncoding encoding);

    /** Whether every masked value is NULL, so a masked column keeps its type. */
    default boolean masksToNull() {
        return false;
    }

    /**
     * Whether SQL NULL is masked too (passed to {@link #mask} as null), so that NULL and non-NULL values look alike:
     * a derived column such as {@code IF(ssn LIKE '8%', NULL, 'x')} would otherwise leak one bit per row.
     */
    default boolean masksNull() {
        return false;
    }

    /** The most bytes a masked value takes when the clear value takes at most {@code valueBytes} bytes. */
    long maxMaskedLength(long valueBytes);
}
