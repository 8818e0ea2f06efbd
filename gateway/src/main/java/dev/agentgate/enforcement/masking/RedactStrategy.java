package dev.agentgate.enforcement.masking;

import java.nio.charset.StandardCharsets;

/** {@code redact}: every value becomes the same fixed text (parameter {@code text}, default {@code ***}). */
final class RedactStrategy implements MaskingStrategy {

    static final String DEFAULT_TEXT = "***";

    private final byte[] text;

    RedactStrategy(String text) {
        this.text = text.getBytes(StandardCharsets.UTF_8);
    }

    static RedactStrategy from(StrategyParams params) {
        return new RedactStrategy(params.allowOnly("text").text("text", DEFAULT_TEXT));
    }

    @Override
    public byte[] mask(byte[] value, ValueEncoding encoding) {
        return text;
    }

    @Override
    public long maxMaskedLength(long valueBytes) {
        return text.length;
    }
}
