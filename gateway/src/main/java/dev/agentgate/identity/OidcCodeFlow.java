package dev.agentgate.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Signs a person in with the company's OIDC issuer: authorization code flow with PKCE (S256) and a nonce. The
 * issuer's endpoints come from its discovery document (fetched once, again after a failure); the code is
 * exchanged with the client secret (HTTP Basic), and the ID token is validated by the gateway's
 * {@link TokenValidator} (signature, issuer, audience = client id, expiry) before its nonce is compared. All
 * HTTP is OkHttp's asynchronous calls: nothing here blocks the caller.
 */
public final class OidcCodeFlow {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final URI issuer;
    private final String clientId;
    private final String clientSecret;
    private final URI redirectUri;
    private final TokenValidator idTokens;
    private final OkHttpClient http;
    private final AtomicReference<CompletableFuture<JsonNode>> discovery = new AtomicReference<>();

    public OidcCodeFlow(
            URI issuer,
            String clientId,
            String clientSecret,
            URI redirectUri,
            TokenValidator idTokens,
            OkHttpClient http) {
        this.issuer = Objects.requireNonNull(issuer, "approval.sso.issuer");
        this.clientId = Objects.requireNonNull(clientId, "approval.sso.client_id");
        this.clientSecret = Objects.requireNonNull(clientSecret, "approval.sso.client_secret");
        this.redirectUri = Objects.requireNonNull(redirectUri, "approval.sso.redirect_uri");
        this.idTokens = idTokens;
        this.http = http;
    }

    /** One sign-in in progress: what the browser's return must match. */
    public record Attempt(String state, String nonce, String codeVerifier) {
        public static Attempt start() {
            return new Attempt(random(), random(), random() + random());
        }

        String codeChallenge() {
            try {
                byte[] digest =
                        MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
                return BASE64URL.encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
    }

    /** A URL-safe random string of 256 bits: states, nonces, verifiers, session ids, CSRF tokens. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** Where to send the browser to sign in. */
    public CompletableFuture<URI> authorizationUrl(Attempt attempt) {
        return endpoint("authorization_endpoint")
                .thenApply(endpoint -> endpoint.newBuilder()
                        .addQueryParameter("response_type", "code")
                        .addQueryParameter("client_id", clientId)
                        .addQueryParameter("redirect_uri", redirectUri.toString())
                        .addQueryParameter("scope", "openid profile email")
                        .addQueryParameter("state", attempt.state())
                        .addQueryParameter("nonce", attempt.nonce())
                        .addQueryParameter("code_challenge", attempt.codeChallenge())
                        .addQueryParameter("code_challenge_method", "S256")
                        .build()
                        .uri());
    }

    /** Exchanges the code the browser came back with; completes with the signed-in identity. */
    public CompletableFuture<Identity> complete(Attempt attempt, String code) {
        return endpoint("token_endpoint")
                .thenCompose(tokenEndpoint -> call(new Request.Builder()
                        .url(tokenEndpoint)
                        .header("Authorization", Credentials.basic(clientId, clientSecret, StandardCharsets.UTF_8))
                        .post(new FormBody.Builder()
                                .add("grant_type", "authorization_code")
                                .add("code", code)
                                .add("redirect_uri", redirectUri.toString())
                                .add("code_verifier", attempt.codeVerifier())
                                .build())
                        .build()))
                .thenCompose(tokens -> {
                    JsonNode idToken = tokens.get("id_token");
                    if (idToken == null || !idToken.isTextual()) {
                        throw new TokenRejectedException(
                                TokenRejectedException.Reason.MALFORMED, "token response without id_token");
                    }
                    return idTokens.validate(idToken.asText());
                })
                .thenApply(identity -> {
                    if (!attempt.nonce().equals(identity.claims().get("nonce"))) {
                        throw new TokenRejectedException(
                                TokenRejectedException.Reason.REJECTED, "ID token nonce does not match the sign-in");
                    }
                    return identity;
                });
    }

    private CompletableFuture<HttpUrl> endpoint(String name) {
        return discoveryDocument().thenApply(document -> {
            HttpUrl url =
                    document.hasNonNull(name) ? HttpUrl.parse(document.get(name).asText()) : null;
            if (url == null) {
                throw new IllegalStateException("issuer " + issuer + " publishes no usable " + name);
            }
            return url;
        });
    }

    private CompletableFuture<JsonNode> discoveryDocument() {
        CompletableFuture<JsonNode> known = discovery.get();
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        String base = issuer.toString().replaceAll("/+$", "");
        CompletableFuture<JsonNode> fetched = call(new Request.Builder()
                .url(base + DiscoveredJwkSource.DISCOVERY_PATH)
                .get()
                .build());
        discovery.set(fetched);
        return fetched;
    }

    private CompletableFuture<JsonNode> call(Request request) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    if (!response.isSuccessful()) {
                        throw new IOException(request.url().encodedPath() + " answered " + response.code());
                    }
                    result.complete(JSON.readTree(response.body().byteStream()));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        return result;
    }
}
