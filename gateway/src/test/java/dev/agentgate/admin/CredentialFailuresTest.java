package dev.agentgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CredentialFailuresTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final CredentialFailures failures = new CredentialFailures(3, Duration.ofSeconds(60), ticker);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void anAddressIsBlockedOnceItsRefusalsReachTheLimitWithinTheWindow() {
        failures.refused("/10.0.0.1:5000");
        failures.refused("/10.0.0.1:5001");
        assertThat(failures.blockedFor("/10.0.0.1:5002")).isEmpty();

        failures.refused("/10.0.0.1:5002");

        assertThat(failures.blockedFor("/10.0.0.1:6000")).contains(Duration.ofSeconds(60));
    }

    @Test
    void theBlockEndsWhenTheWindowThatBeganWithTheFirstRefusalEnds() {
        failures.refused("/10.0.0.1:5000");
        advance(Duration.ofSeconds(20));
        failures.refused("/10.0.0.1:5000");
        failures.refused("/10.0.0.1:5000");

        assertThat(failures.blockedFor("/10.0.0.1:5000")).contains(Duration.ofSeconds(40));
        advance(Duration.ofSeconds(41));
        assertThat(failures.blockedFor("/10.0.0.1:5000")).isEmpty();
    }

    @Test
    void refusalsSpreadOverMoreThanOneWindowNeverBlock() {
        failures.refused("/10.0.0.1:5000");
        failures.refused("/10.0.0.1:5000");
        advance(Duration.ofSeconds(61));
        failures.refused("/10.0.0.1:5000");

        assertThat(failures.blockedFor("/10.0.0.1:5000")).isEmpty();
    }

    @Test
    void anotherAddressIsNotBlockedByTheRefusalsOfOne() {
        for (int i = 0; i < 3; i++) {
            failures.refused("/10.0.0.1:5000");
        }

        assertThat(failures.blockedFor("/10.0.0.2:5000")).isEmpty();
        assertThat(failures.blockedFor("/[0:0:0:0:0:0:0:1]:5000")).isEmpty();
    }

    @Test
    void theSameIpv6ClientOnAnotherPortIsOneAddress() {
        for (int i = 0; i < 3; i++) {
            failures.refused("/[0:0:0:0:0:0:0:1]:" + (5000 + i));
        }

        assertThat(failures.blockedFor("/[0:0:0:0:0:0:0:1]:7000")).isPresent();
    }
}
