package dev.agentgate.enforcement.masking;

import java.nio.charset.StandardCharsets;

/**
 * {@code email}: hides the local part and keeps the domain, {@code jane.doe@example.com} becomes
 * {@code ***@example.com}. A value without {@code @} is not an address whose domain could be kept: it becomes
 * {@code ***}. Works on bytes, since {@code @} is one byte in UTF-8 and every single-byte charset.
 */
final class EmailStrategy implements MaskingStrategy {

    private static final byte[] HIDDEN_LOCAL_PART = "***".getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        int at = lastIndexOfAt(value);
        if (at < 0) {
            return HIDDEN_LOCAL_PART;
        }
        byte[] masked = new byte[HIDDEN_LOCAL_PART.length + value.length - at];
        System.arraycopy(HIDDEN_LOCAL_PART, 0, masked, 0, HIDDEN_LOCAL_PART.length);
        System.arraycopy(value, at, masked, HIDDEN_LOCAL_PART.length, value.length - at);
        return masked;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return valueBytes + HIDDEN_LOCAL_PART.length;
    }

    private static int lastIndexOfAt(byte[] value) {
        for (int i = value.length - 1; i >= 0; i--) {
            if (value[i] == '@') {
                return i;
            }
        }
        return -1;
    }
}
