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
 */
public record IdentityConfig(
        Duration clockSkew,
        List<IssuerConfig> issuers,
        DevIssuerConfig devIssuer,
        Duration keysOutageTolerance,
        Duration maxTokenLifetime) {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEYS_OUTAGE_TOLERANCE = Duration.ofHours(1);

    public IdentityConfig {
        Objects.requireNonNull(clockSkew, "identity clockSkew must not be null");
        Objects.requireNonNull(keysOutageTolerance, "identity keysOutageTolerance must not be null");
        issuers = List.copyOf(issuers);
    }

    /** Last known keys served for {@link #DEFAULT_KEYS_OUTAGE_TOLERANCE}, no maximum token lifetime. */
    public IdentityConfig(Duration clockSkew, List<IssuerConfig> issuers, DevIssuerConfig devIssuer) {
        this(clockSkew, issuers, devIssuer, DEFAULT_KEYS_OUTAGE_TOLERANCE, null);
    }
}
