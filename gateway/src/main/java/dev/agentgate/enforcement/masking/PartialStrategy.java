package dev.agentgate.enforcement.masking;

import java.nio.charset.StandardCharsets;

/**
 * {@code partial}: keeps the first {@code keep_first} and last {@code keep_last} characters and replaces each
 * other character by {@code mask_char} (default {@code *}): {@code 4111111111111111} with keep_last 4 becomes
 * {@code ************1111}. A value no longer than what would be kept is masked entirely, so short values are not
 * revealed whole. Characters are UTF-8 code points (never split) or single bytes, see {@link ValueEncoding}.
 */
final class PartialStrategy implements MaskingStrategy {

    private final int keepFirst;
    private final int keepLast;
    private final byte[] maskChar;

    PartialStrategy(int keepFirst, int keepLast, String maskChar) {
        if (maskChar.codePointCount(0, maskChar.length()) != 1) {
            throw new IllegalArgumentException(
                    "partial masking: mask_char must be one character, was '" + maskChar + "'");
        }
        this.keepFirst = keepFirst;
        this.keepLast = keepLast;
        this.maskChar = maskChar.getBytes(StandardCharsets.UTF_8);
    }

    static PartialStrategy from(StrategyParams params) {
        params.allowOnly("keep_first", "keep_last", "mask_char");
        return new PartialStrategy(
                params.nonNegativeInt("keep_first", 0),
                params.nonNegativeInt("keep_last", 0),
                params.text("mask_char", "*"));
    }

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        int characters = countCharacters(value, encoding);
        boolean keepsAny = (long) keepFirst + keepLast < characters;
        int headEnd = keepsAny ? byteIndexOfCharacter(value, encoding, keepFirst) : 0;
        int tailStart = keepsAny ? byteIndexOfCharacter(value, encoding, characters - keepLast) : value.length;
        int masked = keepsAny ? characters - keepFirst - keepLast : characters;
        byte[] out = new byte[headEnd + masked * maskChar.length + value.length - tailStart];
        System.arraycopy(value, 0, out, 0, headEnd);
        int at = headEnd;
        for (int i = 0; i < masked; i++, at += maskChar.length) {
            System.arraycopy(maskChar, 0, out, at, maskChar.length);
        }
        System.arraycopy(value, tailStart, out, at, value.length - tailStart);
        return out;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return valueBytes * maskChar.length;
    }

    private static int countCharacters(byte[] value, ValueEncoding encoding) {
        if (encoding == ValueEncoding.BYTES) {
            return value.length;
        }
        int count = 0;
        for (byte b : value) {
            count += isContinuationByte(b) ? 0 : 1;
        }
        return count;
    }

    /** The byte index where character number {@code character} starts (value.length when there are fewer). */
    private static int byteIndexOfCharacter(byte[] value, ValueEncoding encoding, int character) {
        if (encoding == ValueEncoding.BYTES) {
            return Math.min(character, value.length);
        }
        int seen = 0;
        for (int i = 0; i < value.length; i++) {
            if (!isContinuationByte(value[i])) {
                if (seen == character) {
                    return i;
                }
                seen++;
            }
        }
        return value.length;
    }

    private static boolean isContinuationByte(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
