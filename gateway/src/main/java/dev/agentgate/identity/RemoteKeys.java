package dev.agentgate.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSetSourceWithHealthStatusReporting;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jose.util.events.Event;
import com.nimbusds.jose.util.health.HealthReport;
import com.nimbusds.jose.util.health.HealthReportListener;
import com.nimbusds.jose.util.health.HealthStatus;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the key sources of one remote issuer: a JWKS URL fetched with bounded timeouts and size, cached,
 * re-fetched when a token names an unknown kid, and rate limited so that clients sending random kids
 * cannot make the gateway hammer the issuer. While the JWKS cannot be fetched, the last keys fetched stay in
 * use for the outage tolerance; each fall-back to them is logged and counted (once per cache period, as the
 * keys then served are cached again).
 */
final class RemoteKeys {

    private static final Logger log = LoggerFactory.getLogger(RemoteKeys.class);

    private final ValidatorOptions options;
    private final ResourceRetriever retriever;
    private final ExecutorService refreshExecutor;
    private final Duration outageTolerance;

    /**
     * @param refreshExecutor runs Nimbus' refresh-ahead fetches (Nimbus would otherwise start its own,
     *     non-daemon, thread per issuer)
     * @param outageTolerance how long the last fetched keys are used while the JWKS cannot be fetched
     */
    RemoteKeys(ValidatorOptions options, ExecutorService refreshExecutor, Duration outageTolerance) {
        this.options = options;
        this.refreshExecutor = refreshExecutor;
        this.outageTolerance = outageTolerance;
        this.retriever = new DefaultResourceRetriever(
                Math.toIntExact(options.httpConnectTimeout().toMillis()),
                Math.toIntExact(options.httpReadTimeout().toMillis()),
                options.httpSizeLimitBytes());
    }

    JWKSource<SecurityContext> forJwksUri(URL jwksUri) {
        LastFetch lastFetch = new LastFetch();
        JWKSource<SecurityContext> cached = JWKSourceBuilder.<SecurityContext>create(jwksUri, retriever)
                .cache(
                        options.jwksCacheTtl().toMillis(),
                        options.jwksRefreshTimeout().toMillis())
                .refreshAheadCache(
                        options.jwksRefreshMinInterval().toMillis(), null, refreshExecutor, false, null, false)
                .rateLimited(options.jwksRefreshMinInterval().toMillis())
                .retrying(false)
                .outageTolerant(outageTolerance.toMillis(), event -> staleKeysServed(jwksUri, event))
                .healthReporting(lastFetch)
                .build();
        return (selector, context) -> {
            try {
                return cached.get(selector, context);
            } catch (RateLimitReachedException e) {
                // Rate limited after a failed fetch: the issuer is down, not the kid unknown.
                if (lastFetch.failure == null) {
                    throw e;
                }
                throw new KeySourceException("JWKS " + jwksUri + " unavailable: " + lastFetch.failure, e);
            } catch (KeySourceException e) {
                throw new KeySourceException("JWKS " + jwksUri + ": " + e.getMessage(), e);
            }
        };
    }

    private void staleKeysServed(
            URL jwksUri, Event<OutageTolerantJWKSetSource<SecurityContext>, SecurityContext> event) {
        if (event instanceof OutageTolerantJWKSetSource.OutageEvent<?> outage) {
            log.warn(
                    "JWKS {} cannot be fetched ({}): using the last keys fetched, for at most {} s more",
                    jwksUri,
                    outage.getException(),
                    outage.getRemainingTime() / 1000);
        }
        options.staleKeysServed().run();
    }

    /** Keys of an issuer whose JWKS URL is found by OIDC discovery on first use. */
    JWKSource<SecurityContext> forIssuer(String issuer) {
        return new DiscoveredJwkSource(issuer, this, options.discoveryRetryInterval(), options.clock());
    }

    ResourceRetriever retriever() {
        return retriever;
    }

    /** Remembers whether the most recent JWKS fetch failed. */
    private static final class LastFetch
            implements HealthReportListener<JWKSetSourceWithHealthStatusReporting<SecurityContext>, SecurityContext> {
        private volatile String failure;

        @Override
        public void notify(
                HealthReport<JWKSetSourceWithHealthStatusReporting<SecurityContext>, SecurityContext> report) {
            failure = report.getHealthStatus() == HealthStatus.HEALTHY ? null : String.valueOf(report.getException());
        }
    }
}
