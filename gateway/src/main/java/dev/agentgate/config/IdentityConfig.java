package dev.agentgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whose tokens are accepted ({@code identity:} section).
 *
 * @param clockSkew tolerance applied to exp/nbf/iat
 * @param devIssuer the dev-mode issuer, or {@code null}
 */
public record IdentityConfig(Duration clockSkew, List<IssuerConfig> issuers, DevIssuerConfig devIssuer) {
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public IdentityConfig {
    Objects.requireNonNull(clockSkew, "identity clockSkew must not be null");
    issuers = List.copyOf(issuers);
  }
}
