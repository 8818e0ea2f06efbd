package dev.agentgate.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refused credentials (admin keys, approvers' and auditors' tokens) per client address on the admin listener: an
 * address refused {@code max} times within {@code window} (counted from its first refusal) is answered 429 until the
 * window ends, so nobody can guess the admin key or replay tokens at line rate. Bounded: at most
 * {@value #MAX_TRACKED_ADDRESSES} addresses are tracked. Thread-safe.
 */
public final class CredentialFailures {

    public static final int DEFAULT_MAX = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final int max;
    private final Duration window;
    /** expireAfterWrite: a count is written once, when the address's first refusal creates it; increments are not writes. */
    private final Cache<String, AtomicInteger> refusals;

    public CredentialFailures() {
        this(DEFAULT_MAX, DEFAULT_WINDOW, Ticker.systemTicker());
    }

    CredentialFailures(int max, Duration window, Ticker ticker) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        this.max = max;
        this.window = window;
        this.refusals = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(MAX_TRACKED_ADDRESSES)
                .ticker(ticker)
                .build();
    }

    /** A request from {@code clientAddress} had its credentials refused. */
    public void refused(String clientAddress) {
        refusals.get(host(clientAddress), address -> new AtomicInteger()).incrementAndGet();
    }

    /** How long requests from {@code clientAddress} are still answered 429; empty when they may be tried. */
    public Optional<Duration> blockedFor(String clientAddress) {
        String host = host(clientAddress);
        AtomicInteger count = refusals.getIfPresent(host);
        if (count == null || count.get() < max) {
            return Optional.empty();
        }
        Duration age = refusals.policy()
                .expireAfterWrite()
                .flatMap(expiry -> expiry.ageOf(host))
                .orElse(Duration.ZERO);
        Duration left = window.minus(age);
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** {@code /127.0.0.1:54321} and {@code /127.0.0.1:54322} are one client: the port is left out. */
    static String host(String clientAddress) {
        int port = clientAddress.lastIndexOf(':');
        boolean bracketed = clientAddress.endsWith("]");
        return port < 0 || bracketed ? clientAddress : clientAddress.substring(0, port);
    }
}
