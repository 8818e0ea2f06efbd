package dev.agentgate.enforcement.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hash}: HMAC-SHA256 of the value's bytes under a configured key, as 64 lowercase hex digits. Equal values
 * hash alike (joins and GROUP BY on the masked column still work) but without the key nobody can hash guesses
 * and compare, which a plain SHA-256 of a phone number or an SSN would allow.
 */
final class HashStrategy implements MaskingStrategy {

    static final int MIN_KEY_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_LENGTH = 64;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Mac instances are not thread-safe; each thread clones the keyed prototype once. */
    private final ThreadLocal<Mac> macs;

    HashStrategy(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("hash masking key must be at least " + MIN_KEY_BYTES + " bytes, was "
                    + (key == null ? "missing" : key.length + " bytes"));
        }
        Mac prototype = newMac(key);
        this.macs = ThreadLocal.withInitial(() -> copyOf(prototype));
    }

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        byte[] digest = macs.get().doFinal(value);
        byte[] hex = new byte[HEX_LENGTH];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX_DIGITS[digest[i] >> 4 & 0xF];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xF];
        }
        return hex;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return HEX_LENGTH;
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    private static Mac copyOf(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(ALGORITHM + " Mac of this JVM cannot be cloned", e);
        }
    }
}
