package dev.agentgate.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One trusted OIDC token issuer ({@code identity.issuers[i]}).
 *
 * @param issuer the exact {@code iss} claim value, an https URL
 * @param jwksUri key set location, or {@code null} to use OIDC discovery at the issuer
 * @param algorithms accepted JWS algorithms, a subset of {@link #ALLOWED_ALGORITHMS}
 */
public record IssuerConfig(
        String issuer, List<String> audiences, URI jwksUri, List<String> algorithms, List<String> requiredClaims) {
    /** Asymmetric algorithms only: never {@code none}, never HMAC (a public key is no secret). */
    public static final List<String> ALLOWED_ALGORITHMS =
            List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "PS256", "ES256");
    public static final List<String> DEFAULT_REQUIRED_CLAIMS = List.of("sub");

    public IssuerConfig {
        Objects.requireNonNull(issuer, "issuer must not be null");
        audiences = List.copyOf(audiences);
        algorithms = List.copyOf(algorithms);
        requiredClaims = List.copyOf(requiredClaims);
    }
}
