package dev.agentgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where statements are decided ({@code policy:} section): an OPA sidecar's Data API.
 *
 * @param opaUrl OPA's base URL
 * @param decisionPath path of the decision rule under {@code /v1/data}
 * @param timeout time limit per decision; a statement whose decision takes longer is denied
 * @param maxConcurrent decisions in flight at once; more are denied as overloaded
 * @param circuitOpenFor how long OPA is not asked after repeated failures (all statements denied)
 * @param cacheMaxEntries decisions kept for reuse where the policy allows it; 0 turns the cache off
 * @param analysisTimeout time limit for parsing one statement; past it the statement is "not parsed"
 * @param disabled dev only: allow every statement without asking OPA (to measure the bare relay)
 * @param masking how masked values are computed ({@code policy.masking})
 */
public record PolicyConfig(
        URI opaUrl,
        String decisionPath,
        Duration timeout,
        int maxConcurrent,
        Duration circuitOpenFor,
        int cacheMaxEntries,
        Duration analysisTimeout,
        boolean disabled,
        MaskingConfig masking) {

    public static final URI DEFAULT_OPA_URL = URI.create("http://127.0.0.1:8181");
    public static final String DEFAULT_DECISION_PATH = "agentgate/decision";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    public static final int DEFAULT_MAX_CONCURRENT = 256;
    public static final Duration DEFAULT_CIRCUIT_OPEN_FOR = Duration.ofSeconds(2);
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_ANALYSIS_TIMEOUT = Duration.ofMillis(500);

    public PolicyConfig {
        Objects.requireNonNull(opaUrl, "policy opaUrl must not be null");
        Objects.requireNonNull(decisionPath, "policy decisionPath must not be null");
        Objects.requireNonNull(timeout, "policy timeout must not be null");
        Objects.requireNonNull(circuitOpenFor, "policy circuitOpenFor must not be null");
        Objects.requireNonNull(analysisTimeout, "policy analysisTimeout must not be null");
        Objects.requireNonNull(masking, "policy masking must not be null");
    }

    /** A policy section without masking settings (no hash key). */
    public PolicyConfig(
            URI opaUrl,
            String decisionPath,
            Duration timeout,
            int maxConcurrent,
            Duration circuitOpenFor,
            int cacheMaxEntries,
            Duration analysisTimeout,
            boolean disabled) {
        this(
                opaUrl,
                decisionPath,
                timeout,
                maxConcurrent,
                circuitOpenFor,
                cacheMaxEntries,
                analysisTimeout,
                disabled,
                MaskingConfig.NONE);
    }

    /** An OPA sidecar on its conventional local address: absent or down, every statement is denied. */
    public static PolicyConfig defaults() {
        return new PolicyConfig(
                DEFAULT_OPA_URL,
                DEFAULT_DECISION_PATH,
                DEFAULT_TIMEOUT,
                DEFAULT_MAX_CONCURRENT,
                DEFAULT_CIRCUIT_OPEN_FOR,
                DEFAULT_CACHE_MAX_ENTRIES,
                DEFAULT_ANALYSIS_TIMEOUT,
                false);
    }

    public PolicyConfig withOpaUrl(URI url) {
        return new PolicyConfig(
                url,
                decisionPath,
                timeout,
                maxConcurrent,
                circuitOpenFor,
                cacheMaxEntries,
                analysisTimeout,
                disabled,
                masking);
    }

    public PolicyConfig withDisabled(boolean value) {
        return new PolicyConfig(
                opaUrl,
                decisionPath,
                timeout,
                maxConcurrent,
                circuitOpenFor,
                cacheMaxEntries,
                analysisTimeout,
                value,
                masking);
    }

    public PolicyConfig withMasking(MaskingConfig value) {
        return new PolicyConfig(
                opaUrl,
                decisionPath,
                timeout,
                maxConcurrent,
                circuitOpenFor,
                cacheMaxEntries,
                analysisTimeout,
                disabled,
                value);
    }
}
