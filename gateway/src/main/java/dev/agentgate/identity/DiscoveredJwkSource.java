package dev.agentgate.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The keys of an issuer configured without {@code jwks_uri}: on first use its OIDC discovery document
 * ({@code <issuer>/.well-known/openid-configuration}) is fetched for {@code jwks_uri}, and the remote key
 * source for that URL is kept. A failed discovery is remembered for a short interval so that a down
 * issuer is not asked again by every login.
 */
final class DiscoveredJwkSource implements JWKSource<SecurityContext> {

    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    private final String issuer;
    private final RemoteKeys remoteKeys;
    private final Duration retryInterval;
    private final Clock clock;

    // Guarded by this: fetching under the lock makes concurrent first logins wait for one fetch.
    private JWKSource<SecurityContext> delegate;
    private KeySourceException lastFailure;
    private Instant retryAfter = Instant.MIN;

    DiscoveredJwkSource(String issuer, RemoteKeys remoteKeys, Duration retryInterval, Clock clock) {
        this.issuer = issuer;
        this.remoteKeys = remoteKeys;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return delegate().get(selector, context);
    }

    private synchronized JWKSource<SecurityContext> delegate() throws KeySourceException {
        if (delegate != null) {
            return delegate;
        }
        if (lastFailure != null && clock.instant().isBefore(retryAfter)) {
            throw lastFailure;
        }
        try {
            delegate = remoteKeys.forJwksUri(discoverJwksUri());
            lastFailure = null;
            return delegate;
        } catch (KeySourceException e) {
            lastFailure = e;
            retryAfter = clock.instant().plus(retryInterval);
            throw e;
        }
    }

    private URL discoverJwksUri() throws KeySourceException {
        String location = issuer.replaceAll("/+$", "") + DISCOVERY_PATH;
        try {
            String document = remoteKeys
                    .retriever()
                    .retrieveResource(URI.create(location).toURL())
                    .getContent();
            Map<String, Object> metadata = JSONObjectUtils.parse(document);
            // OpenID Connect Discovery 1.0 section 4.3: the document must be about this very issuer.
            String advertisedIssuer = JSONObjectUtils.getString(metadata, "issuer");
            if (!issuer.equals(advertisedIssuer)) {
                throw new KeySourceException(
                        "OIDC discovery at " + location + " names issuer " + advertisedIssuer + ", expected " + issuer);
            }
            URI jwksUri = JSONObjectUtils.getURI(metadata, "jwks_uri");
            if (jwksUri == null) {
                throw new KeySourceException("OIDC discovery at " + location + " has no jwks_uri");
            }
            return jwksUri.toURL();
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new KeySourceException("OIDC discovery at " + location + " failed: " + e, e);
        }
    }
}
