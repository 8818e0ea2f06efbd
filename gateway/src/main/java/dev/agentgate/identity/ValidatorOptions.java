package dev.agentgate.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link JwtTokenValidator} that is not part of the YAML config: HTTP limits for JWKS and
 * discovery fetches, JWKS caching, the worker pool and the clock.
 *
 * @param httpConnectTimeout connect timeout of each JWKS/discovery request
 * @param httpReadTimeout read timeout of each JWKS/discovery request
 * @param httpSizeLimitBytes largest JWKS/discovery document accepted
 * @param jwksCacheTtl how long a fetched JWKS is used before it is fetched again
 * @param jwksRefreshMinInterval at most two fetches per issuer in this interval, whatever kids clients send; short,
 *     so that a token signed with a freshly rotated key is accepted within it
 * @param discoveryRetryInterval after a failed discovery, how long the failure is reported without retrying
 * @param workerThreads threads of each issuer that do its blocking fetches and verification
 * @param maxQueuedValidations validations of one issuer waiting for a worker before new ones are refused as busy
 * @param clock the time against which exp/nbf are checked
 * @param staleKeysServed called each time an issuer's JWKS could not be fetched and its last known keys are used
 */
public record ValidatorOptions(
        Duration httpConnectTimeout,
        Duration httpReadTimeout,
        int httpSizeLimitBytes,
        Duration jwksCacheTtl,
        Duration jwksRefreshMinInterval,
        Duration discoveryRetryInterval,
        int workerThreads,
        int maxQueuedValidations,
        Clock clock,
        Runnable staleKeysServed) {

    public ValidatorOptions {
        requirePositive(httpConnectTimeout, "httpConnectTimeout");
        requirePositive(httpReadTimeout, "httpReadTimeout");
        requirePositive(jwksRefreshMinInterval, "jwksRefreshMinInterval");
        requirePositive(discoveryRetryInterval, "discoveryRetryInterval");
        if (jwksCacheTtl == null || jwksCacheTtl.compareTo(jwksRefreshMinInterval) <= 0) {
            throw new IllegalArgumentException(
                    "jwksCacheTtl must be longer than jwksRefreshMinInterval, was " + jwksCacheTtl);
        }
        if (httpSizeLimitBytes < 1 || workerThreads < 1 || maxQueuedValidations < 1) {
            throw new IllegalArgumentException(
                    "httpSizeLimitBytes, workerThreads and maxQueuedValidations must be positive, were "
                            + httpSizeLimitBytes + ", " + workerThreads + ", " + maxQueuedValidations);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(staleKeysServed, "staleKeysServed");
    }

    public static ValidatorOptions defaults() {
        return new ValidatorOptions(
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                256 * 1024,
                Duration.ofMinutes(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                4,
                1024,
                Clock.systemUTC(),
                () -> {});
    }

    public ValidatorOptions withClock(Clock newClock) {
        return new ValidatorOptions(
                httpConnectTimeout,
                httpReadTimeout,
                httpSizeLimitBytes,
                jwksCacheTtl,
                jwksRefreshMinInterval,
                discoveryRetryInterval,
                workerThreads,
                maxQueuedValidations,
                newClock,
                staleKeysServed);
    }

    public ValidatorOptions withHttpTimeouts(Duration connect, Duration read) {
        return new ValidatorOptions(
                connect,
                read,
                httpSizeLimitBytes,
                jwksCacheTtl,
                jwksRefreshMinInterval,
                discoveryRetryInterval,
                workerThreads,
                maxQueuedValidations,
                clock,
                staleKeysServed);
    }

    public ValidatorOptions withJwksTimings(Duration cacheTtl, Duration refreshMinInterval) {
        return new ValidatorOptions(
                httpConnectTimeout,
                httpReadTimeout,
                httpSizeLimitBytes,
                cacheTtl,
                refreshMinInterval,
                discoveryRetryInterval,
                workerThreads,
                maxQueuedValidations,
                clock,
                staleKeysServed);
    }

    public ValidatorOptions withStaleKeysListener(Runnable listener) {
        return new ValidatorOptions(
                httpConnectTimeout,
                httpReadTimeout,
                httpSizeLimitBytes,
                jwksCacheTtl,
                jwksRefreshMinInterval,
                discoveryRetryInterval,
                workerThreads,
                maxQueuedValidations,
                clock,
                listener);
    }

    /** How long a caller may wait for another thread's JWKS fetch: one full request plus slack. */
    Duration jwksRefreshTimeout() {
        return httpConnectTimeout.plus(httpReadTimeout).plusSeconds(1);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
