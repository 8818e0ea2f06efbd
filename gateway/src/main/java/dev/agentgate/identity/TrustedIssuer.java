package dev.agentgate.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.agentgate.identity.TokenRejectedException.Reason;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One issuer the gateway trusts: the signature algorithms it may use, where its keys come from, and the
 * claims its tokens must carry. Verification may fetch keys, so {@link #verify} blocks and runs on the
 * validator's workers.
 */
final class TrustedIssuer {

    // Only asymmetric signatures: "none" and HMAC (whose key would be the public key) are never accepted.
    private static final Set<JWSAlgorithm> SIGNATURE_ALGORITHMS = JWSAlgorithm.Family.SIGNATURE;

    // Nimbus verifies EdDSA with Google Tink, an optional dependency the gateway does not ship.
    private static final boolean TINK_PRESENT = isOnClassPath("com.google.crypto.tink.subtle.Ed25519Verify");

    private final String issuer;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;

    TrustedIssuer(
            String issuer,
            List<String> algorithmNames,
            JWKSource<SecurityContext> keys,
            IssuerClaimsVerifier claimsVerifier) {
        this.issuer = issuer;
        this.algorithms = parseAlgorithms(issuer, algorithmNames);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWTClaimsSetVerifier(claimsVerifier);
        // RFC 9068 access tokens are typed at+jwt; plain ID-token style JWTs are typed JWT or not at all.
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    }

    private static Set<JWSAlgorithm> parseAlgorithms(String issuer, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("issuer " + issuer + ": algorithms must not be empty");
        }
        Set<JWSAlgorithm> parsed = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
            if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("issuer " + issuer + ": algorithm " + name
                        + " is not allowed, use one of " + SIGNATURE_ALGORITHMS);
            }
            if (JWSAlgorithm.Family.ED.contains(algorithm) && !TINK_PRESENT) {
                throw new IllegalArgumentException("issuer " + issuer + ": algorithm " + name
                        + " needs Google Tink, which is not on the class path");
            }
            parsed.add(algorithm);
        }
        return Set.copyOf(parsed);
    }

    private static boolean isOnClassPath(String className) {
        try {
            Class.forName(className, false, TrustedIssuer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    String issuer() {
        return issuer;
    }

    /** Cheap check before any key is fetched: the token's alg must be one this issuer may use. */
    void checkAlgorithm(JWSAlgorithm algorithm) {
        if (!algorithms.contains(algorithm)) {
            throw new TokenRejectedException(
                    Reason.ALGORITHM_NOT_ALLOWED, "issuer " + issuer + ": alg " + algorithm + " not in " + algorithms);
        }
    }

    /** Verifies signature and claims; blocks while keys are fetched. */
    Identity verify(SignedJWT token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJOSEException | JOSEException e) {
            throw NimbusRejections.toRejection(e, issuer);
        }
        return new Identity(
                claims.getIssuer(),
                claims.getSubject(),
                claims.toJSONObject(),
                claims.getExpirationTime().toInstant());
    }
}
