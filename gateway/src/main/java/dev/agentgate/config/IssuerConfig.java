package dev.agentgate.config;

import java.net.URI;
import java.util.List;

/** One trusted OIDC issuer; {@code jwksUri} null means OIDC discovery. */
public record IssuerConfig(
    String issuer,
    List<String> audiences,
    URI jwksUri,
    List<String> algorithms,
    List<String> requiredClaims) {}
