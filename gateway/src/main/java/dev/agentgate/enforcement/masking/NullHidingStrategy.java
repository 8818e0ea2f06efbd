package dev.agentgate.enforcement.masking;

/**
 * A strategy that also masks SQL NULL, as the empty value: for {@code redact} NULL becomes the same text as any
 * value. See {@link MaskingStrategies#hidingNull}.
 */
final class NullHidingStrategy implements MaskingStrategy {

    private static final byte[] EMPTY = new byte[0];

    private final MaskingStrategy masked;

    NullHidingStrategy(MaskingStrategy masked) {
        this.masked = masked;
    }

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        return masked.mask(value == null ? EMPTY : value, encoding);
    }

    @Override
    public boolean masksNull() {
        return true;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return masked.maxMaskedLength(valueBytes);
    }

    @Override
    public String toString() {
        return "hidingNull(" + masked + ")";
    }
}
