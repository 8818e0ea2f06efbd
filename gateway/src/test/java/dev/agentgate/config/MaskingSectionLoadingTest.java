package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy.masking}: the key of the {@code hash} strategy. */
class MaskingSectionLoadingTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String policy) {
        return new ConfigFixture(dir, Map.of("HASH_KEY", "from-the-environment-32-bytes!!!"))
                .load(ISSUER + TARGET + policy);
    }

    @Test
    void hasNoHashKeyWhenTheSectionIsAbsent() {
        assertThat(load("").policy().masking()).isEqualTo(MaskingConfig.NONE);
    }

    @Test
    void readsTheHashKeyAsWritten() {
        MaskingConfig masking = load("policy:\n  masking:\n    hash_key: \"0123456789abcdef\"\n")
                .policy()
                .masking();

        assertThat(masking.hashKeyBytes()).isEqualTo("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesTheHashKeyFromTheEnvironment() {
        MaskingConfig masking = load("policy:\n  masking:\n    hash_key: ${HASH_KEY}\n")
                .policy()
                .masking();

        assertThat(masking.hashKey()).isEqualTo("from-the-environment-32-bytes!!!");
    }

    @Test
    void rejectsAHashKeyShorterThan16Bytes() {
        new ConfigFixture(dir)
                .assertRejected(
                        ISSUER + TARGET + "policy:\n  masking:\n    hash_key: \"short\"\n",
                        "policy.masking.hash_key: must be at least 16 bytes, was 5 (generate one with: openssl rand -base64 32)");
    }

    @Test
    void rejectsAMisspeltMaskingKey() {
        new ConfigFixture(dir)
                .assertRejected(
                        ISSUER + TARGET + "policy:\n  masking:\n    hashkey: \"0123456789abcdef\"\n",
                        "unknown key 'policy.masking.hashkey' (expected one of: hash_key)");
    }

    @Test
    void neverPrintsTheHashKey() {
        assertThat(new MaskingConfig("0123456789abcdef-secret").toString())
                .doesNotContain("secret")
                .contains("****");
    }
}
