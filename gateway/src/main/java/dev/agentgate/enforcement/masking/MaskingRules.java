package dev.agentgate.enforcement.masking;

import dev.agentgate.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes {@link MaskingRule}s from the masks of a policy decision, with the built-in strategies and the configured
 * hash key. A mask that cannot be applied (a pattern this gateway does not understand, {@code hash} without a key,
 * unknown or invalid parameters) is refused with a message naming it, so that the statement can be refused
 * rather than run with a mask missing.
 */
public final class MaskingRules {

    private final MaskingStrategies strategies;
    private final boolean hashKeyConfigured;
    private final MaskingStrategy redact;

    /** @param hashKey the key of {@code hash} (at least 16 bytes), or null when none is configured */
    public MaskingRules(byte[] hashKey) {
        this.hashKeyConfigured = hashKey != null;
        this.strategies =
                hashKeyConfigured ? MaskingStrategies.builtIn(hashKey) : MaskingStrategies.builtInWithoutHash();
        this.redact = strategies.create(MaskingStrategies.REDACT, Map.of());
    }

    /**
     * The rules of {@code masks}, in the decision's order.
     *
     * @throws IllegalArgumentException naming the first mask that cannot be applied and why
     */
    public List<MaskingRule> of(Map<String, Decision.MaskRule> masks) {
        List<MaskingRule> rules = new ArrayList<>(masks.size());
        masks.forEach((pattern, mask) -> rules.add(rule(pattern, mask)));
        return List.copyOf(rules);
    }

    private MaskingRule rule(String pattern, Decision.MaskRule mask) {
        String problem = "mask for '" + pattern + "': ";
        if (pattern.contains("?")) {
            // The lineage matches '*' globs only; a '?' would be taken literally and mask nothing.
            throw new IllegalArgumentException(problem + "'?' is not supported in column patterns, use '*'");
        }
        if (MaskingStrategies.HASH.equals(mask.strategy()) && !hashKeyConfigured) {
            throw new IllegalArgumentException(
                    problem + "strategy 'hash' needs a key, and the gateway has no policy.masking.hash_key configured");
        }
        try {
            return new MaskingRule(pattern, mask.strategy(), strategies.create(mask.strategy(), mask.params()));
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(problem + invalid.getMessage(), invalid);
        }
    }

    /** {@code redact} with its default text: what a value gets when no rule's own strategy may be used. */
    public MaskingStrategy defaultRedact() {
        return redact;
    }
}
