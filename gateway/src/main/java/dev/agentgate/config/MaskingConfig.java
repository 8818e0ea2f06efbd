package dev.agentgate.config;

import java.nio.charset.StandardCharsets;

/**
 * How masked values are computed ({@code policy.masking}).
 *
 * @param hashKey the key of the {@code hash} strategy (HMAC-SHA256), at least {@link #MIN_HASH_KEY_BYTES} bytes of
 *     UTF-8; null when none is configured, and then every decision that masks with {@code hash} is refused
 */
public record MaskingConfig(String hashKey) {
    public static final int MIN_HASH_KEY_BYTES = 16;
    /** No hash key: {@code hash} cannot be used. */
    public static final MaskingConfig NONE = new MaskingConfig(null);

    public MaskingConfig {
        if (hashKey != null && hashKeyBytes(hashKey).length < MIN_HASH_KEY_BYTES) {
            throw new IllegalArgumentException("masking hash key must be at least " + MIN_HASH_KEY_BYTES + " bytes");
        }
    }

    /** The hash key's bytes, or null when none is configured. */
    public byte[] hashKeyBytes() {
        return hashKey == null ? null : hashKeyBytes(hashKey);
    }

    private static byte[] hashKeyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Never prints the key: configs end up in logs. */
    @Override
    public String toString() {
        return "MaskingConfig[hashKey=" + (hashKey == null ? "none" : "****") + "]";
    }
}
