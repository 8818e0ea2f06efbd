package dev.agentgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Decisions the policy allowed to be reused ({@code cache_ttl_s}), bounded in size. A decision is
 * stored under two keys' worth of precision: the exact SQL, or (when the policy said its decision
 * does not depend on literals) the statement digest. Lookups try the exact key first.
 */
public final class DecisionCache {

    /**
     * Who asks what, where. {@code identityFingerprint} covers issuer, subject and the claims that
     * policies may read, so a new token with other roles never reuses an old decision.
     */
    public record Key(
            String identityFingerprint,
            String target,
            String database,
            String command,
            String statement,
            boolean byDigest) {
        public Key {
            Objects.requireNonNull(identityFingerprint, "identityFingerprint");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(statement, "statement");
        }

        // Written out rather than generated: the generated record methods go through method handles that the
        // JIT did not inline on the hot path, and every cached statement hashes one key and compares another.
        @Override
        public boolean equals(Object other) {
            return this == other
                    || other instanceof Key key
                            && byDigest == key.byDigest
                            && statement.equals(key.statement)
                            && command.equals(key.command)
                            && identityFingerprint.equals(key.identityFingerprint)
                            && target.equals(key.target)
                            && Objects.equals(database, key.database);
        }

        @Override
        public int hashCode() {
            int hash = identityFingerprint.hashCode();
            hash = 31 * hash + target.hashCode();
            hash = 31 * hash + Objects.hashCode(database);
            hash = 31 * hash + command.hashCode();
            hash = 31 * hash + statement.hashCode();
            return 31 * hash + Boolean.hashCode(byDigest);
        }
    }

    private final Cache<Key, Decision> cache;
    private final long maxEntries;
    // Counted here rather than by Caffeine: one lookup may probe two keys, yet is one hit or one miss.
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public DecisionCache(long maxEntries) {
        // Maintenance (draining the read buffer every few hits, expiry) runs on the thread that triggers it:
        // a few microseconds there cost less than waking a pool thread for it dozens of times a second.
        this(maxEntries, Ticker.systemTicker(), Runnable::run);
    }

    /** @param ticker the clock expiry is measured with; @param executor where eviction work runs */
    DecisionCache(long maxEntries, Ticker ticker, Executor executor) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .executor(executor)
                .evictionListener((Key key, Decision decision, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .expireAfter(Expiry.creating(
                        (Key key, Decision decision) -> decision.caching().ttl()))
                .build();
    }

    /** The cached decision for the exact statement, else for its digest. */
    public Optional<Decision> get(Key exact, Key digest) {
        Optional<Decision> hit = peek(exact, digest);
        (hit.isEmpty() ? misses : hits).increment();
        return hit;
    }

    /**
     * Like {@link #get} but a miss is not counted: for a first, cheap look before the statement is
     * analysed, which is followed by a counted lookup when it misses. A hit is counted, and returned,
     * only when {@code usable} accepts it; otherwise it counts as nothing, as the full path looks again
     * (a {@code mask} needs the statement's lineage).
     */
    public Optional<Decision> getBeforeAnalysis(Key exact, Key digest, Predicate<Decision> usable) {
        Optional<Decision> hit = peek(exact, digest).filter(usable);
        hit.ifPresent(found -> hits.increment());
        return hit;
    }

    private Optional<Decision> peek(Key exact, Key digest) {
        Decision hit = cache.getIfPresent(exact);
        if (hit == null && digest != null) {
            hit = cache.getIfPresent(digest);
        }
        return Optional.ofNullable(hit);
    }

    /** Stores the decision if, and for as long as, the policy allowed it. */
    public void put(Key exact, Key digest, Decision decision) {
        Decision.Caching caching = decision.caching();
        if (!caching.cacheable()) {
            return;
        }
        cache.put(caching.byDigest() && digest != null ? digest : exact, decision);
    }

    /** Hits and misses (one per lookup) and evictions to stay within the size bound (expiry is none). */
    public CacheStats stats() {
        return CacheStats.of(hits.sum(), misses.sum(), 0, 0, 0, evictions.sum(), evictions.sum());
    }

    /** The most decisions it holds. */
    public long maxEntries() {
        return maxEntries;
    }

    public long size() {
        return cache.estimatedSize();
    }
}
