package dev.agentgate.enforcement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentgate.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;

/**
 * A stable digest of what a policy can see of an identity: issuer, subject and claims, without the
 * claims that change with every token (expiry, issue time, token id). Two tokens with the same
 * roles share cached decisions; a token with other claims never reuses them.
 */
final class IdentityFingerprints {

    private static final Set<String> PER_TOKEN_CLAIMS = Set.of("exp", "iat", "nbf", "jti", "auth_time");
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    // One entry per live Identity object (a session keeps its own), compared by reference. Read for every
    // statement: maintenance runs on the reading thread rather than waking a pool thread every few reads.
    private final Cache<Identity, String> memo = Caffeine.newBuilder()
            .weakKeys()
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();

    String of(Identity identity) {
        return memo.get(identity, IdentityFingerprints::compute);
    }

    private static String compute(Identity identity) {
        TreeMap<String, Object> claims = new TreeMap<>(identity.claims());
        claims.keySet().removeAll(PER_TOKEN_CLAIMS);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((identity.issuer() + "\n" + identity.subject() + "\n").getBytes(StandardCharsets.UTF_8));
            sha256.update(CANONICAL.writeValueAsBytes(claims));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint identity " + identity.subject(), e);
        }
    }
}
