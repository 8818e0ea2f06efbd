package dev.agentgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Objects;
import java.util.Optional;

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
  public record Key(String identityFingerprint, String target, String database, String command, String statement, boolean byDigest) {
    public Key {
      Objects.requireNonNull(identityFingerprint, "identityFingerprint");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(statement, "statement");
    }
  }

  private final Cache<Key, Decision> cache;

  public DecisionCache(long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative, was " + maxEntries);
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .recordStats()
            .expireAfter(Expiry.creating((Key key, Decision decision) -> decision.caching().ttl()))
            .build();
  }

  /** The cached decision for the exact statement, else for its digest. */
  public Optional<Decision> get(Key exact, Key digest) {
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

  public CacheStats stats() {
    return cache.stats();
  }

  public long size() {
    return cache.estimatedSize();
  }
}
