package dev.agentgate.enforcement.masking;

/**
 * Turns a clear column value into its masked form. Values are the text protocol's bytes of the value (digits for
 * numbers, {@code 2024-01-31} for dates), so a value masks alike in text and binary result sets. SQL NULL is never
 * passed in: NULL stays NULL. Implementations are immutable and thread-safe.
 */
public interface MaskingStrategy {

    /**
     * The masked form of {@code value} (never null), or null for SQL NULL. The result may be shared between calls:
     * callers only read it.
     */
    byte[] mask(byte[] value, ValueEncoding encoding);

    /** Whether every masked value is NULL, so a masked column keeps its type. */
    default boolean masksToNull() {
        return false;
    }

    /** The most bytes a masked value takes when the clear value takes at most {@code valueBytes} bytes. */
    long maxMaskedLength(long valueBytes);
}
