package dev.agentgate.identity;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nimbus' claims checks (audience, exact issuer, exp/nbf with skew) for one issuer, with an injectable
 * clock, and a missing required claim reported by name so the client learns which one to add.
 */
final class IssuerClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

    /** Claims every accepted token carries, whatever the issuer's configuration adds. */
    static final List<String> ALWAYS_REQUIRED = List.of("sub", "exp");

    /** Thrown inside Nimbus' processing; carries the claim name out to the rejection mapping. */
    static final class MissingClaimException extends BadJWTException {
        private final String claim;

        MissingClaimException(String claim) {
            super("JWT missing required claim " + claim);
            this.claim = claim;
        }

        String claim() {
            return claim;
        }
    }

    /** Message of the refusal of a token valid for longer than allowed; {@link NimbusRejections} maps it. */
    static final String LIFETIME_TOO_LONG = "JWT lifetime (exp - iat) exceeds the maximum";

    private final Clock clock;
    private final Duration maxLifetime;
    // Sorted so that, of several missing claims, the same one is always reported.
    private final Set<String> requiredClaims;

    /** @param maxLifetime longest {@code exp - iat} accepted, {@code iat} then required; {@code null}: no limit */
    IssuerClaimsVerifier(
            String issuer,
            List<String> audiences,
            List<String> requiredClaims,
            Duration skew,
            Duration maxLifetime,
            Clock clock) {
        super(
                Set.copyOf(audiences),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                withAlwaysRequired(requiredClaims, maxLifetime != null),
                null);
        this.clock = clock;
        this.maxLifetime = maxLifetime;
        this.requiredClaims = new TreeSet<>(getRequiredClaims());
        setMaxClockSkew(Math.toIntExact(skew.toSeconds()));
    }

    private static Set<String> withAlwaysRequired(List<String> configured, boolean lifetimeLimited) {
        Set<String> all = new TreeSet<>(ALWAYS_REQUIRED);
        if (lifetimeLimited) {
            all.add("iat");
        }
        if (configured != null) {
            all.addAll(configured);
        }
        return all;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        for (String claim : requiredClaims) {
            if (claims.getClaim(claim) == null) {
                throw new MissingClaimException(claim);
            }
        }
        if (maxLifetime != null
                && claims.getExpirationTime().getTime() - claims.getIssueTime().getTime() > maxLifetime.toMillis()) {
            throw new BadJWTException(LIFETIME_TOO_LONG);
        }
        super.verify(claims, context);
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }
}
