package dev.agentgate.config;

import java.time.Duration;
import java.util.List;

/** The {@code identity} section: which token issuers the gateway trusts. */
public record IdentityConfig(Duration clockSkew, List<IssuerConfig> issuers, DevIssuerConfig devIssuer) {}
