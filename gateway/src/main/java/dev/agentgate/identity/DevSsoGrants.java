package dev.agentgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The authorization codes of the dev SSO issuer: each is handed out for one sign-in, bound to the client, the
 * redirect URI and the PKCE challenge of that sign-in, and redeemed at most once within {@link #CODE_LIFETIME}.
 * A redemption that fails uses the code up too, so a code that leaked cannot be tried again with other guesses.
 */
public final class DevSsoGrants {
    /** Long enough for a browser's redirect to reach the client, short enough that a leaked code is soon useless. */
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private static final int MAX_OUTSTANDING = 1_000;

    /** What a code stands for: whom it was issued to and what the redemption must match. */
    public record Grant(String clientId, String redirectUri, String nonce, String codeChallenge, Instant expiresAt) {
        public Grant {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(redirectUri, "redirectUri");
            Objects.requireNonNull(codeChallenge, "codeChallenge");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** The outcome of presenting a code at the token endpoint. */
    public sealed interface Redemption {
        /** The code was valid: the sign-in it was issued for. */
        record Granted(Grant grant) implements Redemption {}

        /** Refused, with a sentence for the client's {@code error_description}. */
        record Refused(String reason) implements Redemption {}
    }

    private final Clock clock;
    private final Cache<String, Grant> codes;

    public DevSsoGrants(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        // The cache bounds memory (a runaway client cannot fill it); validity is decided by expiresAt on the clock.
        this.codes = Caffeine.newBuilder()
                .expireAfterWrite(CODE_LIFETIME.multipliedBy(2))
                .maximumSize(MAX_OUTSTANDING)
                .build();
    }

    /** A new code for a sign-in of {@code clientId} that returns to {@code redirectUri}. */
    public String issue(String clientId, String redirectUri, String nonce, String codeChallenge) {
        String code = OidcCodeFlow.random();
        codes.put(
                code,
                new Grant(
                        clientId,
                        redirectUri,
                        nonce,
                        codeChallenge,
                        clock.instant().plus(CODE_LIFETIME)));
        return code;
    }

    /** Redeems {@code code} once: granted only when client, redirect URI and PKCE verifier match its sign-in. */
    public Redemption redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        Grant grant = code == null ? null : codes.asMap().remove(code);
        if (grant == null) {
            return new Redemption.Refused("unknown or already used authorization code");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            return new Redemption.Refused("authorization code expired");
        }
        if (!grant.clientId().equals(clientId)) {
            return new Redemption.Refused("authorization code was issued to another client");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            return new Redemption.Refused("redirect_uri differs from the authorization request's");
        }
        if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
            return new Redemption.Refused("code_verifier missing or malformed");
        }
        if (!MessageDigest.isEqual(
                s256(codeVerifier).getBytes(StandardCharsets.US_ASCII),
                grant.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            return new Redemption.Refused("code_verifier does not match the code_challenge (PKCE S256)");
        }
        return new Redemption.Granted(grant);
    }

    /** BASE64URL(SHA-256(ASCII(verifier))), RFC 7636 section 4.2. */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
