package dev.agentgate.enforcement.masking;

/** {@code null}: every value becomes SQL NULL; the column keeps its type (only NOT NULL is dropped). */
final class NullStrategy implements MaskingStrategy {

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        return null;
    }

    @Override
    public boolean masksToNull() {
        return true;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return 0;
    }
}
