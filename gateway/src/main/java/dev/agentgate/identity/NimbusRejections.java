package dev.agentgate.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.agentgate.identity.TokenRejectedException.Reason;
import java.util.Map;

/**
 * Translates what Nimbus throws while processing a token into the client-facing reason. Nimbus signals
 * most failures with the same exception type and a fixed message; the messages matched here are those
 * of Nimbus JOSE+JWT 10, and {@code JwtTokenValidatorTest} produces each reachable one, so an upgrade
 * that changes them fails the build instead of degrading the client message. (A wrong {@code iss}
 * cannot reach Nimbus, tokens are routed by it, but is mapped all the same.) Anything unrecognised is
 * still a rejection (fail closed), reported as {@link Reason#REJECTED}.
 */
final class NimbusRejections {

    /** Message fragments of {@code DefaultJWTClaimsVerifier}, {@code DefaultJWTProcessor}. */
    private static final Map<String, Reason> MESSAGE_FRAGMENTS = Map.of(
            "JWT before use time",
            Reason.NOT_YET_VALID,
            "JWT aud claim rejected",
            Reason.AUDIENCE_NOT_ACCEPTED,
            "JWT iss claim value rejected",
            Reason.ISSUER_NOT_TRUSTED,
            "no matching key(s) found",
            Reason.UNKNOWN_SIGNING_KEY,
            "Invalid signature",
            Reason.SIGNATURE_INVALID,
            "typ (type)",
            Reason.TYPE_NOT_ACCEPTED,
            IssuerClaimsVerifier.LIFETIME_TOO_LONG,
            Reason.LIFETIME_TOO_LONG);

    private NimbusRejections() {}

    static TokenRejectedException toRejection(Exception failure, String issuer) {
        String detail = "issuer " + issuer + ": " + failure.getMessage();
        if (failure instanceof IssuerClaimsVerifier.MissingClaimException missing) {
            return TokenRejectedException.missingClaim(missing.claim(), detail);
        }
        return new TokenRejectedException(reasonOf(failure), detail, failure);
    }

    private static Reason reasonOf(Exception failure) {
        if (failure instanceof ExpiredJWTException) {
            return Reason.EXPIRED;
        }
        // The cached keys did not match the kid and a refresh is not allowed yet: the key is unknown.
        if (failure instanceof RateLimitReachedException) {
            return Reason.UNKNOWN_SIGNING_KEY;
        }
        if (failure instanceof KeySourceException) {
            return Reason.KEYS_UNAVAILABLE;
        }
        if (failure instanceof BadJOSEException) {
            String message = String.valueOf(failure.getMessage());
            return MESSAGE_FRAGMENTS.entrySet().stream()
                    .filter(fragment -> message.contains(fragment.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(Reason.REJECTED);
        }
        return Reason.REJECTED;
    }
}
