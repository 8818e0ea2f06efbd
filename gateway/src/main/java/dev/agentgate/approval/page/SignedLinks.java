package dev.agentgate.approval.page;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.agentgate.approval.HmacSha256;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * One-time links to the approval page of a request: {@code <page base>/approve/<id>?exp=<epoch s>&sig=<mac>},
 * the MAC an HMAC-SHA256 under {@code approval.link_key} of the id and the expiry (the request's), so a link
 * cannot be made for another request nor stretched. A link that decided a request is used up: it still opens
 * the page, which then says so.
 */
public final class SignedLinks {
    /** Shorter keys would make links guessable; 32 bytes is the HMAC-SHA256 block's security level. */
    public static final int MIN_KEY_BYTES = 32;

    public static final String PATH_PREFIX = "/approve/";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final URI pageBase;
    private final Clock clock;
    private final Cache<String, Instant> usedUntil;

    /** @param pageBase where the admin listener is reached by approvers' browsers, e.g. {@code https://gw:9090} */
    public SignedLinks(String linkKey, URI pageBase, Clock clock) {
        if (linkKey == null || linkKey.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("approval.link_key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = linkKey.getBytes(StandardCharsets.UTF_8);
        this.pageBase = pageBase;
        this.clock = clock;
        this.usedUntil = Caffeine.newBuilder()
                .expireAfter(Expiry.<String, Instant>creating((mac, expires) ->
                        Duration.between(clock.instant(), expires).plusMinutes(1)))
                .maximumSize(100_000)
                .build();
    }

    /** The link for request {@code id}, valid until {@code expiresAt}. */
    public URI linkFor(String id, Instant expiresAt) {
        long exp = expiresAt.getEpochSecond();
        String base = pageBase.toString().replaceAll("/+$", "");
        return URI.create(base + PATH_PREFIX + id + "?exp=" + exp + "&sig=" + mac(id, exp));
    }

    /** Why the link parameters do not open request {@code id}'s page, or empty when they do. */
    public Optional<String> refusal(String id, String exp, String sig) {
        if (exp == null || sig == null) {
            return Optional.of("this link is incomplete");
        }
        long expiry;
        try {
            expiry = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            return Optional.of("this link is malformed");
        }
        if (!MessageDigest.isEqual(
                mac(id, expiry).getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("this link is not valid");
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            return Optional.of("this link has expired, and so has the request");
        }
        if (usedUntil.getIfPresent(sig) != null) {
            return Optional.of("this link was already used");
        }
        return Optional.empty();
    }

    /** Uses the link up; false when it already was (a second submission racing the first). */
    public boolean useOnce(String exp, String sig) {
        Instant expires = Instant.ofEpochSecond(Long.parseLong(exp));
        return usedUntil.asMap().putIfAbsent(sig, expires) == null;
    }

    private String mac(String id, long exp) {
        byte[] message = ("agentgate-approval-link\n" + id + "\n" + exp).getBytes(StandardCharsets.UTF_8);
        return BASE64URL.encodeToString(HmacSha256.of(key, message));
    }
}
