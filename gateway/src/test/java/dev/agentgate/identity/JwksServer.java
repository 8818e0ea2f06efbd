package dev.agentgate.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real HTTP issuer for tests: serves its OIDC discovery document and its JWKS (the public halves of
 * the keys it was last told to publish), and can be made to stall.
 */
final class JwksServer implements AutoCloseable {
    static final String JWKS_PATH = "/jwks";

    private final MockWebServer server = new MockWebServer();
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet());
    private volatile long stallMillis;
    private volatile int failureStatus;

    JwksServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return respond(request.getUrl().encodedPath());
            }
        });
        server.start();
    }

    private MockResponse respond(String path) {
        if (failureStatus != 0) {
            return new MockResponse.Builder().code(failureStatus).build();
        }
        String body;
        if (path.equals(DiscoveredJwkSource.DISCOVERY_PATH)) {
            body = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}";
        } else if (path.equals(JWKS_PATH)) {
            body = published.get().toString(true);
        } else {
            return new MockResponse.Builder().code(404).build();
        }
        return new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .headersDelay(stallMillis, TimeUnit.MILLISECONDS)
                .body(body)
                .build();
    }

    /** Publishes exactly these keys (public halves only). */
    void publish(JWK... keys) {
        published.set(new JWKSet(Arrays.asList(keys)).toPublicJWKSet());
    }

    /** Makes every response wait this long before its headers. */
    void stall(long millis) {
        stallMillis = millis;
    }

    /** Answers every request with this HTTP status (0: serve normally again). */
    void failWith(int status) {
        failureStatus = status;
    }

    String issuer() {
        String root = server.url("/").toString();
        return root.substring(0, root.length() - 1);
    }

    URI jwksUri() {
        return server.url(JWKS_PATH).uri();
    }

    int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }
}
