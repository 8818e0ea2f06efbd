package dev.agentgate.e2e.env;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A real OIDC issuer over HTTP on 127.0.0.1: discovery document and JWKS (one RSA and one EC P-256 key),
 * plus a minting API for valid tokens and for each kind of bad token the gateway must reject.
 * Its issuer URL is {@code http://127.0.0.1:<port>}; tokens carry the audience {@value #AUDIENCE}.
 */
public final class OidcIssuer implements AutoCloseable {

    public static final String AUDIENCE = "agentgate";
    public static final String RSA_KEY_ID = "e2e-rsa";
    public static final String EC_KEY_ID = "e2e-ec";

    private final MockWebServer server = new MockWebServer();
    private final RSAKey rsaKey;
    private final ECKey ecKey;
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final List<JWK> rotatedIn = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String issuer;
    private volatile boolean down;

    private OidcIssuer() throws IOException, JOSEException {
        rsaKey = new RSAKeyGenerator(2048).keyID(RSA_KEY_ID).generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID(EC_KEY_ID).generate();
        server.setDispatcher(new OidcDispatcher());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = "http://127.0.0.1:" + server.getPort();
    }

    /** Starts an issuer with fresh keys; close it when done. */
    public static OidcIssuer start() {
        try {
            return new OidcIssuer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OIDC issuer HTTP server", e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the issuer's signing keys", e);
        }
    }

    /** The issuer URL, as in the {@code iss} claim and the gateway config. */
    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return issuer + "/jwks";
    }

    /** How many times the JWKS was fetched (the gateway should cache it). */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** From now on discovery and JWKS requests are answered {@code 503}, as by an identity provider that is down. */
    public void goDown() {
        down = true;
    }

    /** Discovery and JWKS are served again after {@link #goDown()}. */
    public void comeBack() {
        down = false;
    }

    /** A builder for a token of this issuer: RS256, audience {@value #AUDIENCE}, valid for 10 minutes. */
    public Token token(String subject) {
        return new Token(this, subject);
    }

    /** A valid RS256 token for {@code subject} with the claim {@code repository}. */
    public String valid(String subject) {
        return token(subject).mint();
    }

    public String expired(String subject) {
        return token(subject).issuedSecondsAgo(3600).ttlSeconds(-600).mint();
    }

    public String notYetValid(String subject) {
        return token(subject).notBeforeInSeconds(600).mint();
    }

    public String wrongAudience(String subject) {
        return token(subject).audience("some-other-service").mint();
    }

    /** Signed with this issuer's key but claiming another issuer, which the gateway does not trust. */
    public String otherIssuer(String subject) {
        return token(subject).issuer("https://untrusted-issuer.example.com").mint();
    }

    /** Carries this issuer's RSA key id but is signed with another RSA key. */
    public String badSignature(String subject) {
        return sign(token(subject).claims(), JWSAlgorithm.RS256, RSA_KEY_ID, signer(freshRsaKey(RSA_KEY_ID)));
    }

    /** An unsecured JWT ({@code alg: none}, empty signature). */
    public String algNone(String subject) {
        return new PlainJWT(token(subject).claims()).serialize();
    }

    /** The classic key-confusion attack: HS256 with the issuer's RSA public key (PEM text) as HMAC secret. */
    public String hs256WithRsaPublicKey(String subject) {
        try {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(rsaKey.toPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            return sign(
                    token(subject).claims(),
                    JWSAlgorithm.HS256,
                    RSA_KEY_ID,
                    new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot build the HS256 confusion token", e);
        }
    }

    /** Signed by a key whose id the JWKS does not contain. */
    public String unknownKid(String subject) {
        return sign(token(subject).claims(), JWSAlgorithm.RS256, "no-such-key", signer(freshRsaKey("no-such-key")));
    }

    /** Publishes a new signing key in the JWKS (as an issuer rotating its keys does) and signs a valid token with it. */
    public String validWithAFreshlyRotatedKey(String subject) {
        RSAKey key = freshRsaKey("e2e-rotated-" + (rotatedIn.size() + 1));
        rotatedIn.add(key);
        return sign(token(subject).claims(), JWSAlgorithm.RS256, key.getKeyID(), signer(key));
    }

    /** A valid token lacking the claim {@code claim}. */
    public String missingClaim(String subject, String claim) {
        return token(subject).without(claim).mint();
    }

    String signWithIssuerKey(JWTClaimsSet claims, boolean elliptic) {
        return elliptic
                ? sign(claims, JWSAlgorithm.ES256, EC_KEY_ID, signer(ecKey))
                : sign(claims, JWSAlgorithm.RS256, RSA_KEY_ID, signer(rsaKey));
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer) {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a " + algorithm + " token", e);
        }
        return jwt.serialize();
    }

    private static RSAKey freshRsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    private static JWSSigner signer(JWK key) {
        try {
            return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use signing key " + key.getKeyID(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Serves discovery and JWKS; anything else is 404. */
    private final class OidcDispatcher extends Dispatcher {
        private static final Headers JSON = Headers.of("Content-Type", "application/json");

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (down) {
                return new MockResponse(503, JSON, "{\"error\":\"identity provider down\"}");
            }
            if (path.equals("/.well-known/openid-configuration")) {
                return new MockResponse(200, JSON, discoveryDocument());
            }
            if (path.equals("/jwks")) {
                jwksRequests.incrementAndGet();
                List<JWK> keys = new java.util.ArrayList<>(List.of(rsaKey.toPublicJWK(), ecKey.toPublicJWK()));
                rotatedIn.forEach(key -> keys.add(key.toPublicJWK()));
                return new MockResponse(200, JSON, new JWKSet(keys).toString());
            }
            return new MockResponse(404, JSON, "{\"error\":\"not found\"}");
        }

        private String discoveryDocument() {
            Map<String, Object> document = Map.of(
                    "issuer",
                    issuer,
                    "jwks_uri",
                    jwksUri(),
                    "id_token_signing_alg_values_supported",
                    List.of("RS256", "ES256"),
                    "response_types_supported",
                    List.of("id_token"),
                    "subject_types_supported",
                    List.of("public"));
            return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(document);
        }
    }
}
