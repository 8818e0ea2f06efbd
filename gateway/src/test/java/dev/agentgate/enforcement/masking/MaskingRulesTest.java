package dev.agentgate.enforcement.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.analysis.lineage.SourceColumn;
import dev.agentgate.policy.Decision.MaskRule;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingRulesTest {

    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void makesEachMasksStrategyWithItsParameters() {
        MaskingRule rule = new MaskingRules(KEY)
                .of(Map.of("shop.customers.ssn", new MaskRule("partial", Map.of("keep_last", 4))))
                .get(0);

        assertThat(rule.pattern()).isEqualTo("shop.customers.ssn");
        assertThat(rule.strategyName()).isEqualTo("partial");
        assertThat(new String(
                        rule.strategy().mask("123456789".getBytes(StandardCharsets.UTF_8), ValueEncoding.UTF8),
                        StandardCharsets.UTF_8))
                .isEqualTo("*****6789");
        assertThat(rule.matches(new SourceColumn("shop", "customers", "ssn"))).isTrue();
    }

    @Test
    void refusesHashWithoutAConfiguredKeyNamingTheConfigKey() {
        assertThatThrownBy(() ->
                        new MaskingRules(null).of(Map.of("shop.customers.ssn", new MaskRule("hash", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "mask for 'shop.customers.ssn': strategy 'hash' needs a key, and the gateway has no policy.masking.hash_key configured");
    }

    @Test
    void makesHashWhenAKeyIsConfigured() {
        assertThat(new MaskingRules(KEY)
                        .of(Map.of("shop.customers.ssn", new MaskRule("hash", Map.of())))
                        .get(0)
                        .strategyName())
                .isEqualTo("hash");
    }

    @Test
    void refusesAnUnknownParameterNamingTheMask() {
        assertThatThrownBy(() -> new MaskingRules(KEY)
                        .of(Map.of("shop.customers.ssn", new MaskRule("partial", Map.of("keep_middle", 2)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mask for 'shop.customers.ssn': ")
                .hasMessageContaining("keep_middle");
    }

    @Test
    void refusesAnUnknownStrategyNamingIt() {
        assertThatThrownBy(() ->
                        new MaskingRules(KEY).of(Map.of("shop.customers.ssn", new MaskRule("scramble", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mask for 'shop.customers.ssn': unknown masking strategy 'scramble'");
    }

    @Test
    void refusesAQuestionMarkInAPatternBecauseItWouldMatchNothing() {
        assertThatThrownBy(() -> new MaskingRules(KEY).of(Map.of("shop.customers.s?n", new MaskRule("null", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask for 'shop.customers.s?n': '?' is not supported in column patterns, use '*'");
    }

    @Test
    void theDefaultRedactShowsThreeStars() {
        assertThat(new MaskingRules(null)
                        .defaultRedact()
                        .mask("secret".getBytes(StandardCharsets.UTF_8), ValueEncoding.UTF8))
                .isEqualTo("***".getBytes(StandardCharsets.UTF_8));
    }
}
