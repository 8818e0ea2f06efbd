package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The decision cache reuses exactly what the policy allowed, for as long as it allowed it. */
class DecisionCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final DecisionCache cache = new DecisionCache(100, ticker, Runnable::run);

    private static DecisionCache.Key sqlKey(String sql) {
        return new DecisionCache.Key("fingerprint-1", "appdb", "shop", "query", sql, false);
    }

    private static DecisionCache.Key digestKey(String digestHash) {
        return new DecisionCache.Key("fingerprint-1", "appdb", "shop", "query", digestHash, true);
    }

    private static Decision allow(Duration ttl, boolean byDigest) {
        return new Decision.Allow(
                "allow: ok", Optional.of("d-1"), Decision.Obligations.NONE, new Decision.Caching(ttl, byDigest, false));
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aCacheableDecisionIsReusedWithinItsTtl() {
        Decision decision = allow(Duration.ofSeconds(60), false);
        cache.put(sqlKey("SELECT 1"), digestKey("h1"), decision);
        advance(Duration.ofSeconds(59));
        assertThat(cache.get(sqlKey("SELECT 1"), digestKey("h1"))).containsSame(decision);
    }

    @Test
    void aCacheableDecisionIsNotReusedOnceItsTtlHasPassed() {
        cache.put(sqlKey("SELECT 1"), digestKey("h1"), allow(Duration.ofSeconds(60), false));
        advance(Duration.ofSeconds(61));
        assertThat(cache.get(sqlKey("SELECT 1"), digestKey("h1"))).isEmpty();
    }

    @Test
    void aDecisionWithoutCacheTtlIsNeverStored() {
        cache.put(sqlKey("SELECT 1"), digestKey("h1"), allow(Duration.ZERO, true));
        assertThat(cache.get(sqlKey("SELECT 1"), digestKey("h1"))).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aDigestKeyedDecisionIsReusedForTheSameStatementWithOtherLiterals() {
        Decision decision = allow(Duration.ofSeconds(60), true);
        cache.put(sqlKey("SELECT * FROM orders WHERE id = 1"), digestKey("orders-by-id"), decision);
        assertThat(cache.get(sqlKey("SELECT * FROM orders WHERE id = 2"), digestKey("orders-by-id")))
                .containsSame(decision);
    }

    @Test
    void anSqlKeyedDecisionIsNotReusedForOtherLiterals() {
        cache.put(
                sqlKey("SELECT * FROM orders WHERE id = 1"),
                digestKey("orders-by-id"),
                allow(Duration.ofSeconds(60), false));
        assertThat(cache.get(sqlKey("SELECT * FROM orders WHERE id = 2"), digestKey("orders-by-id")))
                .isEmpty();
    }

    @Test
    void aDecisionIsNotReusedInAnotherDatabase() {
        cache.put(sqlKey("SELECT 1"), digestKey("h1"), allow(Duration.ofSeconds(60), true));
        DecisionCache.Key elsewhere = new DecisionCache.Key("fingerprint-1", "appdb", "other", "query", "h1", true);
        assertThat(cache.get(elsewhere, elsewhere)).isEmpty();
    }

    @Test
    void theCacheHoldsNoMoreThanItsMaximumSize() {
        DecisionCache small = new DecisionCache(10, ticker, Runnable::run);
        for (int i = 0; i < 100; i++) {
            small.put(sqlKey("SELECT " + i), null, allow(Duration.ofSeconds(60), false));
        }
        assertThat(small.size()).isEqualTo(10);
        assertThat(small.stats().evictionCount()).isEqualTo(90);
    }

    @Test
    void aLookupThatFindsNothingCountsAsOneMiss() {
        cache.get(sqlKey("SELECT 1"), digestKey("h1"));
        assertThat(cache.stats().missCount()).isEqualTo(1);
        assertThat(cache.stats().hitCount()).isZero();
    }

    @Test
    void aLookupAnsweredByTheDigestCountsAsOneHit() {
        cache.put(sqlKey("SELECT 1"), digestKey("h1"), allow(Duration.ofSeconds(60), true));
        cache.get(sqlKey("SELECT 2"), digestKey("h1"));
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isZero();
    }

    @Test
    void expiredDecisionsAreNotCountedAsEvictions() {
        cache.put(sqlKey("SELECT 1"), null, allow(Duration.ofSeconds(1), false));
        advance(Duration.ofSeconds(2));
        cache.get(sqlKey("SELECT 1"), null);
        assertThat(cache.stats().evictionCount()).isZero();
    }
}
