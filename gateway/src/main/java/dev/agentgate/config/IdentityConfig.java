package dev.agentgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whose tokens are accepted ({@code identity:} section).
 *
 * @param clockSkew tolerance applied to exp/nbf/iat
 * @param devIssuer the dev-mode issuer, or {@code null}
 * @param keysOutageTolerance how long an issuer's last fetched keys are still used while its JWKS cannot be fetched
 * @param maxTokenLifetime tokens whose {@code exp - iat} is longer are refused; {@code null}: no limit
 * @param keysCacheTtl how long an issuer's fetched keys are used before they are fetched again; {@code null}: the
 *     validator's default (5 minutes)
 */
public record IdentityConfig(
        Duration clockSkew,
        List<IssuerConfig> issuers,
        DevIssuerConfig devIssuer,
        Duration keysOutageTolerance,
        Duration maxTokenLifetime,
        Duration keysCacheTtl) {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEYS_OUTAGE_TOLERANCE = Duration.ofHours(1);
    /**
     * The key cache must hold a refresh ahead of expiry (5 s) plus the time one fetch may take (6 s), with some
     * slack: shorter caches are refused at start, not at the first login.
     */
    public static final Duration MIN_KEYS_CACHE_TTL = Duration.ofSeconds(15);

    public IdentityConfig {
        Objects.requireNonNull(clockSkew, "identity clockSkew must not be null");
        Objects.requireNonNull(keysOutageTolerance, "identity keysOutageTolerance must not be null");
        issuers = List.copyOf(issuers);
        if (keysCacheTtl != null && keysCacheTtl.compareTo(MIN_KEYS_CACHE_TTL) < 0) {
            throw new IllegalArgumentException("identity keysCacheTtl must be at least " + MIN_KEYS_CACHE_TTL);
        }
    }

    /** Last known keys served for {@link #DEFAULT_KEYS_OUTAGE_TOLERANCE}, no maximum token lifetime. */
    public IdentityConfig(Duration clockSkew, List<IssuerConfig> issuers, DevIssuerConfig devIssuer) {
        this(clockSkew, issuers, devIssuer, DEFAULT_KEYS_OUTAGE_TOLERANCE, null);
    }

    /** The validator's default key cache time. */
    public IdentityConfig(
            Duration clockSkew,
            List<IssuerConfig> issuers,
            DevIssuerConfig devIssuer,
            Duration keysOutageTolerance,
            Duration maxTokenLifetime) {
        this(clockSkew, issuers, devIssuer, keysOutageTolerance, maxTokenLifetime, null);
    }
}
