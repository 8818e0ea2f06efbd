package dev.agentgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the {@code policy} section. */
final class PolicySectionReader {
    private PolicySectionReader() {}

    static PolicyConfig policy(ConfigNode policy, boolean devMode) {
        policy.rejectUnknownKeys(List.of(
                "opa_url",
                "decision_path",
                "timeout",
                "max_concurrent",
                "circuit_open_for",
                "cache_max_entries",
                "analysis_timeout",
                "disabled",
                "masking"));
        boolean disabled = policy.bool("disabled", false);
        if (disabled && !devMode) {
            throw policy.error(
                    "disabled", "only allowed with dev_mode: true (without a policy every statement is allowed)");
        }
        String path = policy.string("decision_path", PolicyConfig.DEFAULT_DECISION_PATH);
        if (!path.matches("[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*")) {
            throw policy.error("decision_path", "must be a rule path like agentgate/decision, was '" + path + "'");
        }
        int cacheMaxEntries = policy.nonNegativeInt("cache_max_entries", PolicyConfig.DEFAULT_CACHE_MAX_ENTRIES);
        return new PolicyConfig(
                opaUrl(policy),
                path,
                policy.positiveDuration("timeout", PolicyConfig.DEFAULT_TIMEOUT),
                policy.positiveInt("max_concurrent", PolicyConfig.DEFAULT_MAX_CONCURRENT),
                policy.positiveDuration("circuit_open_for", PolicyConfig.DEFAULT_CIRCUIT_OPEN_FOR),
                cacheMaxEntries,
                policy.positiveDuration("analysis_timeout", PolicyConfig.DEFAULT_ANALYSIS_TIMEOUT),
                disabled,
                masking(policy.section("masking")));
    }

    /** The {@code hash} strategy's key: a secret, so taken as written; absent or empty means none. */
    private static MaskingConfig masking(ConfigNode masking) {
        masking.rejectUnknownKeys(List.of("hash_key"));
        String key = masking.secret("hash_key").filter(text -> !text.isEmpty()).orElse(null);
        if (key == null) {
            return MaskingConfig.NONE;
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MaskingConfig.MIN_HASH_KEY_BYTES) {
            throw masking.error(
                    "hash_key",
                    "must be at least " + MaskingConfig.MIN_HASH_KEY_BYTES + " bytes, was " + bytes
                            + " (generate one with: openssl rand -base64 32)");
        }
        return new MaskingConfig(key);
    }

    private static URI opaUrl(ConfigNode policy) {
        String text = policy.string("opa_url", PolicyConfig.DEFAULT_OPA_URL.toString());
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw policy.error("opa_url", "must be an http(s) URL like http://127.0.0.1:8181, was '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw policy.error("opa_url", "not a URL: '" + text + "'");
        }
    }
}
