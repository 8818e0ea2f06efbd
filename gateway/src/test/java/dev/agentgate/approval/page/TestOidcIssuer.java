package dev.agentgate.approval.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * A company OIDC issuer played by a real HTTP server: discovery, JWKS, an authorize endpoint with a login form
 * (user name only), and a token endpoint that checks the client's secret, the redirect URI and the PKCE verifier
 * before it issues an RS256 ID token with the nonce of the sign-in.
 */
public final class TestOidcIssuer implements AutoCloseable {
    public static final String CLIENT_ID = "agentgate-approvals";
    public static final String CLIENT_SECRET = "approvals-client-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Grant(String subject, String redirectUri, String nonce, String challenge) {}

    private final MockWebServer server = new MockWebServer();
    private final RSAKey key;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    public TestOidcIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test").generate();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return answer(request);
                } catch (Exception e) {
                    return new MockResponse.Builder()
                            .code(500)
                            .body(e.toString())
                            .build();
                }
            }
        });
        server.start();
    }

    public String issuer() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    private MockResponse answer(RecordedRequest request) throws Exception {
        HttpUrl url = request.getUrl();
        return switch (url.encodedPath()) {
            case "/.well-known/openid-configuration" ->
                json(Map.of(
                        "issuer", issuer(),
                        "authorization_endpoint", issuer() + "/authorize",
                        "token_endpoint", issuer() + "/token",
                        "jwks_uri", issuer() + "/jwks"));
            case "/jwks" ->
                new MockResponse.Builder()
                        .setHeader("Content-Type", "application/json")
                        .body(new JWKSet(key.toPublicJWK()).toString())
                        .build();
            case "/authorize" -> loginForm(url);
            case "/login" -> login(form(request));
            case "/token" -> token(request, form(request));
            default -> new MockResponse.Builder().code(404).build();
        };
    }

    private MockResponse loginForm(HttpUrl url) {
        if (!CLIENT_ID.equals(url.queryParameter("client_id"))
                || !"S256".equals(url.queryParameter("code_challenge_method"))) {
            return new MockResponse.Builder()
                    .code(400)
                    .body("bad authorization request")
                    .build();
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("redirect_uri", "state", "nonce", "code_challenge")) {
            hidden.append("<input type=\"hidden\" name=\"")
                    .append(name)
                    .append("\" value=\"")
                    .append(url.queryParameter(name))
                    .append("\">");
        }
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/html")
                .body("<html><body><form method=\"post\" action=\"/login\">" + hidden
                        + "<input id=\"username\" name=\"username\"><button id=\"sign-in\">Sign in</button>"
                        + "</form></body></html>")
                .build();
    }

    private MockResponse login(Map<String, String> form) {
        String code = UUID.randomUUID().toString();
        codes.put(
                code,
                new Grant(
                        form.get("username"), form.get("redirect_uri"), form.get("nonce"), form.get("code_challenge")));
        HttpUrl back = HttpUrl.get(form.get("redirect_uri"))
                .newBuilder()
                .addQueryParameter("code", code)
                .addQueryParameter("state", form.get("state"))
                .build();
        return new MockResponse.Builder()
                .code(302)
                .setHeader("Location", back.toString())
                .build();
    }

    private MockResponse token(RecordedRequest request, Map<String, String> form) throws Exception {
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        boolean clientOk = Credentials.basic(CLIENT_ID, CLIENT_SECRET)
                .equals(request.getHeaders().get("Authorization"));
        if (grant == null
                || !clientOk
                || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.challenge().equals(s256(form.get("code_verifier")))) {
            return new MockResponse.Builder()
                    .code(400)
                    .body("{\"error\":\"invalid_grant\"}")
                    .build();
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(grant.subject())
                .audience(CLIENT_ID)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", grant.nonce())
                .claim("groups", List.of("dba-oncall"))
                .build();
        SignedJWT idToken = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        idToken.sign(new RSASSASigner(key));
        return json(Map.of("access_token", "opaque", "token_type", "Bearer", "id_token", idToken.serialize()));
    }

    private static String s256(String verifier) throws Exception {
        if (verifier == null) {
            return "";
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> fields = new HashMap<>();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static MockResponse json(Object document) throws IOException {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body(JSON.writeValueAsString(document))
                .build();
    }

    public URI uri() {
        return URI.create(issuer());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
