package dev.agentgate.e2e.env;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A token being minted by an {@link OidcIssuer}: defaults are a valid RS256 token with audience
 * {@value OidcIssuer#AUDIENCE}, a 10 minute lifetime and the claim {@code repository: agentgate/e2e}.
 */
public final class Token {

    private final OidcIssuer owner;
    private final String subject;
    private String issuer;
    private String audience = OidcIssuer.AUDIENCE;
    private long issuedSecondsAgo;
    private long ttlSeconds = 600;
    private long notBeforeInSeconds;
    private boolean elliptic;
    private final Map<String, Object> claims = new LinkedHashMap<>(Map.of("repository", "agentgate/e2e"));
    private final Set<String> omitted = new HashSet<>();

    Token(OidcIssuer owner, String subject) {
        this.owner = owner;
        this.subject = subject;
        this.issuer = owner.issuer();
    }

    public Token issuer(String value) {
        issuer = value;
        return this;
    }

    public Token audience(String value) {
        audience = value;
        return this;
    }

    /** Lifetime from now; negative means expired that many seconds ago. */
    public Token ttlSeconds(long value) {
        ttlSeconds = value;
        return this;
    }

    public Token issuedSecondsAgo(long value) {
        issuedSecondsAgo = value;
        return this;
    }

    public Token notBeforeInSeconds(long value) {
        notBeforeInSeconds = value;
        return this;
    }

    public Token claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    /** Leaves out a claim, registered ({@code sub}, {@code aud}, ...) or custom. */
    public Token without(String name) {
        omitted.add(name);
        return this;
    }

    /** Signs with the issuer's EC P-256 key (ES256) instead of RSA. */
    public Token elliptic() {
        elliptic = true;
        return this;
    }

    public JWTClaimsSet claims() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now.minusSeconds(issuedSecondsAgo)))
                .expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
                .jwtID(UUID.randomUUID().toString());
        if (notBeforeInSeconds != 0) {
            builder.notBeforeTime(Date.from(now.plusSeconds(notBeforeInSeconds)));
        }
        claims.forEach(builder::claim);
        JWTClaimsSet all = builder.build();
        if (omitted.isEmpty()) {
            return all;
        }
        JWTClaimsSet.Builder kept = new JWTClaimsSet.Builder();
        all.getClaims().forEach((name, value) -> {
            if (!omitted.contains(name)) {
                kept.claim(name, value);
            }
        });
        return kept.build();
    }

    /** The signed, serialized JWT. */
    public String mint() {
        return owner.signWithIssuerKey(claims(), elliptic);
    }
}
