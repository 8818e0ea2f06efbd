package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginRateLimiterTest {
    private static final InetAddress CLIENT = address("192.0.2.1");
    private static final InetAddress OTHER_CLIENT = address("192.0.2.2");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginRateLimiter limiter = new LoginRateLimiter(3, 100, clock);

    @Test
    void letsAnAddressTryAgainWhileItIsBelowTheLimit() {
        failTimes(CLIENT, 2);

        assertThat(limiter.isBlocked(CLIENT)).isFalse();
        assertThat(limiter.tryAcquire(CLIENT)).isTrue();
    }

    @Test
    void blocksAnAddressThatReachedTheLimitWithinAMinute() {
        failTimes(CLIENT, 2);
        clock.advance(Duration.ofSeconds(59));
        limiter.recordFailure(CLIENT);

        assertThat(limiter.isBlocked(CLIENT)).isTrue();
        assertThat(limiter.tryAcquire(CLIENT)).isFalse();
    }

    @Test
    void unblocksAnAddressWhenTheMinuteOfItsFirstFailureHasPassed() {
        failTimes(CLIENT, 3);
        clock.advance(Duration.ofSeconds(59));
        assertThat(limiter.isBlocked(CLIENT)).isTrue();

        clock.advance(Duration.ofSeconds(1));

        assertThat(limiter.isBlocked(CLIENT)).isFalse();
    }

    @Test
    void startsAFreshCountAfterTheWindowEnds() {
        failTimes(CLIENT, 2);
        clock.advance(Duration.ofMinutes(1));

        failTimes(CLIENT, 2);

        assertThat(limiter.isBlocked(CLIENT)).isFalse();
    }

    @Test
    void countsEachAddressSeparately() {
        failTimes(CLIENT, 3);

        assertThat(limiter.isBlocked(OTHER_CLIENT)).isFalse();
    }

    @Test
    void forgetsTheFailuresOfAnAddressThatLoggedInSuccessfully() {
        failTimes(CLIENT, 2);
        limiter.recordSuccess(CLIENT);

        limiter.recordFailure(CLIENT);

        assertThat(limiter.isBlocked(CLIENT)).isFalse();
    }

    @Test
    void evictsTheOldestAddressWhenTheTableIsFull() {
        LoginRateLimiter small = fullTwoAddressLimiter(Duration.ofSeconds(1));

        small.recordFailure(address("192.0.2.3"));

        assertThat(small.trackedAddresses()).isEqualTo(2);
        assertThat(small.isBlocked(CLIENT)).isFalse();
        assertThat(small.isBlocked(OTHER_CLIENT)).isTrue();
    }

    @Test
    void dropsExpiredWindowsBeforeEvictingLiveOnes() {
        LoginRateLimiter small = fullTwoAddressLimiter(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));

        small.recordFailure(address("192.0.2.3"));

        assertThat(small.trackedAddresses()).isEqualTo(2);
        assertThat(small.isBlocked(OTHER_CLIENT)).isTrue();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new LoginRateLimiter(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFailuresPerMinute must be at least 1, was 0");
    }

    /** A limiter with room for two addresses, filled by CLIENT and, that much later, OTHER_CLIENT. */
    private LoginRateLimiter fullTwoAddressLimiter(Duration otherClientFailsLater) {
        LoginRateLimiter small = new LoginRateLimiter(1, 2, clock);
        small.recordFailure(CLIENT);
        clock.advance(otherClientFailsLater);
        small.recordFailure(OTHER_CLIENT);
        return small;
    }

    private void failTimes(InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            limiter.recordFailure(address);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
