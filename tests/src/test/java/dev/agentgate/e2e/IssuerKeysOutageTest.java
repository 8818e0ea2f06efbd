package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.testing.PrometheusSamples;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The identity provider down for longer than the key cache: the last keys fetched keep serving logins for
 * {@code identity.keys_outage_tolerance}, said so in the log and the metrics, and then its tokens are refused.
 */
class IssuerKeysOutageTest {

    private static final Duration KEYS_CACHE = Duration.ofSeconds(15);
    private static final Duration OUTAGE_TOLERANCE = Duration.ofSeconds(30);
    /** A login in the cache's last 5 s has the keys fetched again (in the background): the first fetch that fails. */
    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(5);

    private static final String STALE_KEYS_METRIC = "agentgate_issuer_stale_keys_served_total";

    @RegisterExtension
    static final GatewayExtension gateway =
            GatewayExtension.configured(config -> config.identitySetting("keys_cache_ttl", KEYS_CACHE.toSeconds() + "s")
                    .identitySetting("keys_outage_tolerance", OUTAGE_TOLERANCE.toSeconds() + "s")
                    .adminEndpoint());

    @Test
    void servesTheLastKnownKeysForTheOutageToleranceWithALogLineAndAMetricThenRefuses() throws Exception {
        long keysFetched = System.nanoTime();
        login("agent-before-outage");
        gateway.issuer().goDown();
        try {
            awaitLoginsOnStaleKeys();
            assertThat(elapsedSince(keysFetched))
                    .as("stale keys only once the cache was due for a refresh")
                    .isGreaterThan(KEYS_CACHE.minus(REFRESH_AHEAD));
            assertThat(staleKeysServed()).isPositive();
            assertThat(Files.readString(gateway.process().logFile()))
                    .contains("cannot be fetched")
                    .contains("using the last keys fetched, for at most");

            Duration refusedAfter = awaitFirstRefusal(keysFetched);
            assertThat(refusedAfter)
                    .as("first refusal, counted from the last successful key fetch")
                    .isGreaterThan(OUTAGE_TOLERANCE.minusSeconds(1))
                    .isLessThan(OUTAGE_TOLERANCE.plus(KEYS_CACHE).plusSeconds(10));
        } finally {
            gateway.issuer().comeBack();
        }
    }

    /** Logs in every 500 ms until the gateway has served stale keys; every login must be accepted meanwhile. */
    private static void awaitLoginsOnStaleKeys() throws Exception {
        long deadline = System.nanoTime() + KEYS_CACHE.plusSeconds(20).toNanos();
        while (staleKeysServed() == 0) {
            assertThat(System.nanoTime()).as("stale keys served in time").isLessThan(deadline);
            login("agent-during-outage");
            Thread.sleep(500);
        }
        login("agent-on-stale-keys");
    }

    /** Logs in every 500 ms until refused; returns how long after the keys were last fetched that was. */
    private static Duration awaitFirstRefusal(long keysFetched) throws Exception {
        while (true) {
            String token = gateway.issuer().valid("agent-late-in-outage");
            try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token)) {
                assertThat(elapsedSince(keysFetched))
                        .as("refused in time")
                        .isLessThan(OUTAGE_TOLERANCE.plusSeconds(30));
            } catch (SQLException refused) {
                assertSqlError(
                        () -> {
                            throw refused;
                        },
                        1045,
                        "28000",
                        "issuer signing keys unavailable");
                return elapsedSince(keysFetched);
            }
            Thread.sleep(500);
        }
    }

    private static void login(String subject) throws SQLException {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, subject)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    private static double staleKeysServed() {
        return PrometheusSamples.parse(gateway.process().admin("/metrics")).getOrDefault(STALE_KEYS_METRIC, 0.0);
    }

    private static Duration elapsedSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
