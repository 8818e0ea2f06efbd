package dev.agentgate.enforcement.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingStrategiesTest {

    private static final byte[] KEY = "a-32-byte-masking-key-for-tests!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "another-key-of-the-same-length!!".getBytes(StandardCharsets.US_ASCII);

    private final MaskingStrategies strategies = MaskingStrategies.builtIn(KEY);

    private String mask(String strategy, Map<String, ?> params, String value) {
        return mask(strategies.create(strategy, params), value, ValueEncoding.UTF8);
    }

    private static String mask(MaskingStrategy strategy, String value, ValueEncoding encoding) {
        byte[] masked = strategy.mask(value.getBytes(StandardCharsets.UTF_8), encoding);
        return masked == null ? null : new String(masked, StandardCharsets.UTF_8);
    }

    @Test
    void offersTheFiveBuiltInStrategies() {
        assertThat(strategies.names()).containsExactlyInAnyOrder("redact", "null", "hash", "partial", "email");
    }

    @Test
    void redactReplacesEveryValueByThreeStars() {
        assertThat(mask("redact", Map.of(), "123-45-6789")).isEqualTo("***");
        assertThat(strategies.create("redact", Map.of()).maxMaskedLength(1)).isEqualTo(3);
    }

    @Test
    void redactUsesTheConfiguredText() {
        assertThat(mask("redact", Map.of("text", "[verborgen]"), "secret")).isEqualTo("[verborgen]");
    }

    @Test
    void nullMasksEveryValueToSqlNull() {
        MaskingStrategy nullStrategy = strategies.create("null", Map.of());

        assertThat(mask(nullStrategy, "secret", ValueEncoding.UTF8)).isNull();
        assertThat(nullStrategy.masksToNull()).isTrue();
    }

    @Test
    void hashIsTheHexHmacSha256OfTheValueUnderTheKey() {
        // echo -n 'jane@example.com' | openssl dgst -sha256 -hmac 'a-32-byte-masking-key-for-tests!'
        assertThat(mask("hash", Map.of(), "jane@example.com"))
                .isEqualTo("a53ea9f9a56fc5d05af580b80d9bdc574474a7f4636d57abe4b11b66263e41a8");
    }

    @Test
    void hashIsDeterministicPerKeySoEqualValuesStillJoin() {
        String once = mask("hash", Map.of(), "123-45-6789");

        assertThat(mask("hash", Map.of(), "123-45-6789")).isEqualTo(once).hasSize(64);
        assertThat(mask("hash", Map.of(), "123-45-6780")).isNotEqualTo(once);
        assertThat(mask(
                        MaskingStrategies.builtIn(OTHER_KEY).create("hash", Map.of()),
                        "123-45-6789",
                        ValueEncoding.UTF8))
                .isNotEqualTo(once);
    }

    @Test
    void hashWorksOnRawBytesWhateverTheEncoding() {
        MaskingStrategy hash = strategies.create("hash", Map.of());
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xc3};

        assertThat(hash.mask(binary, ValueEncoding.BYTES)).isEqualTo(hash.mask(binary, ValueEncoding.UTF8));
    }

    @Test
    void hashRefusesAShortKey() {
        assertThatThrownBy(() -> MaskingStrategies.builtIn("short".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hash masking key must be at least 16 bytes, was 5 bytes");
    }

    @Test
    void partialKeepsTheLastCharacters() {
        assertThat(mask("partial", Map.of("keep_last", 4), "4111111111111111")).isEqualTo("************1111");
    }

    @Test
    void partialKeepsTheFirstAndLastCharacters() {
        assertThat(mask("partial", Map.of("keep_first", 1, "keep_last", 2), "Jonathan"))
                .isEqualTo("J*****an");
    }

    @Test
    void partialCountsUtf8CharactersNotBytes() {
        assertThat(mask("partial", Map.of("keep_first", 1, "keep_last", 1), "Jürgen😀"))
                .isEqualTo("J*****😀");
    }

    @Test
    void partialCountsBytesInABinaryValue() {
        MaskingStrategy partial = strategies.create("partial", Map.of("keep_last", 1));

        assertThat(partial.mask(new byte[] {(byte) 0xc3, (byte) 0xbc, 0x41}, ValueEncoding.BYTES))
                .containsExactly('*', '*', 'A');
    }

    @Test
    void partialMasksAValueNoLongerThanWhatWouldBeKeptEntirely() {
        assertThat(mask("partial", Map.of("keep_first", 2, "keep_last", 2), "1234"))
                .isEqualTo("****");
        assertThat(mask("partial", Map.of("keep_last", 4), "")).isEmpty();
    }

    @Test
    void partialUsesTheConfiguredMaskCharacter() {
        assertThat(mask("partial", Map.of("keep_last", 2, "mask_char", "•"), "12345"))
                .isEqualTo("•••45");
        assertThat(strategies.create("partial", Map.of("mask_char", "•")).maxMaskedLength(10))
                .isEqualTo(30);
    }

    @Test
    void partialRefusesAMaskOfMoreThanOneCharacter() {
        assertThatThrownBy(() -> strategies.create("partial", Map.of("mask_char", "**")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partial masking: mask_char must be one character, was '**'");
    }

    @Test
    void partialAcceptsCountsAsNumbersOrDigitStrings() {
        assertThat(mask("partial", Map.of("keep_last", "3"), "abcdef")).isEqualTo("***def");
        assertThat(mask("partial", Map.of("keep_last", 3.0), "abcdef")).isEqualTo("***def");
    }

    @Test
    void partialRefusesANegativeCount() {
        assertThatThrownBy(() -> strategies.create("partial", Map.of("keep_last", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("masking strategy 'partial': parameter 'keep_last' must be a whole number >= 0, was -1");
    }

    @Test
    void emailKeepsOnlyTheDomain() {
        assertThat(mask("email", Map.of(), "jane.doe@example.com")).isEqualTo("***@example.com");
    }

    @Test
    void emailHidesAValueWithoutAnAtSignEntirely() {
        assertThat(mask("email", Map.of(), "not an address")).isEqualTo("***");
    }

    @Test
    void emailKeepsWhatFollowsTheLastAtSign() {
        assertThat(mask("email", Map.of(), "\"a@b\"@example.org")).isEqualTo("***@example.org");
    }

    @Test
    void refusesAnUnknownStrategyNamingTheKnownOnes() {
        assertThatThrownBy(() -> strategies.create("shuffle", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown masking strategy 'shuffle' (known: email, hash, null, partial, redact)");
    }

    @Test
    void refusesAParameterTheStrategyDoesNotTake() {
        assertThatThrownBy(() -> strategies.create("partial", Map.of("keep_lats", 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "masking strategy 'partial' has no parameter [keep_lats] (it takes keep_first, keep_last, mask_char)");
        assertThatThrownBy(() -> strategies.create("hash", Map.of("salt", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("masking strategy 'hash' has no parameter [salt] (it takes none)");
    }

    @Test
    void registersMoreStrategiesByName() {
        MaskingStrategy reverse = new MaskingStrategy() {
            @Override
            public byte[] mask(byte[] value, ValueEncoding encoding) {
                return new StringBuilder(new String(value, StandardCharsets.UTF_8))
                        .reverse()
                        .toString()
                        .getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public long maxMaskedLength(long valueBytes) {
                return valueBytes;
            }
        };
        MaskingStrategies extended = MaskingStrategies.builtIns(MaskingStrategies.builder(), KEY)
                .register("reverse", MaskingStrategies.withoutParameters(reverse))
                .build();

        assertThat(mask(extended.create("reverse", Map.of()), "abc", ValueEncoding.UTF8))
                .isEqualTo("cba");
        assertThat(extended.names()).contains("redact", "reverse");
    }

    @Test
    void refusesRegisteringANameTwice() {
        MaskingStrategies.Builder builder = MaskingStrategies.builtIns(MaskingStrategies.builder(), KEY);

        assertThatThrownBy(() -> builder.register("hash", MaskingStrategies.withoutParameters(new NullStrategy())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("masking strategy 'hash' is already registered");
    }

    @Test
    void seesUtf8CollationsAsCharactersAndTheRestAsBytes() {
        assertThat(ValueEncoding.forCollation(45)).isEqualTo(ValueEncoding.UTF8);
        assertThat(ValueEncoding.forCollation(255)).isEqualTo(ValueEncoding.UTF8);
        assertThat(ValueEncoding.forCollation(33)).isEqualTo(ValueEncoding.UTF8);
        assertThat(ValueEncoding.forCollation(1024 + 45)).isEqualTo(ValueEncoding.UTF8);
        assertThat(ValueEncoding.forCollation(63)).isEqualTo(ValueEncoding.BYTES);
        assertThat(ValueEncoding.forCollation(8)).isEqualTo(ValueEncoding.BYTES);
    }
}
