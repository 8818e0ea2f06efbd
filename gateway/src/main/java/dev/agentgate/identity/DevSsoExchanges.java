package dev.agentgate.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two steps of the authorization code flow as the dev SSO issuer answers them, independent of the HTTP
 * server: {@code /authorize} signs the configured user in without asking and sends the browser back with a code;
 * {@code /token} exchanges that code, once, for an ID token signed with the dev issuer's key. Only the registered
 * client, its secret and its exact redirect URIs are accepted, and only PKCE S256 sign-ins.
 */
public final class DevSsoExchanges {
    private static final Logger log = LoggerFactory.getLogger(DevSsoExchanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The one client that may sign in here: the gateway's approval page. */
    public record Client(String id, String secret, List<URI> redirectUris) {
        public Client {
            Objects.requireNonNull(id, "client id");
            Objects.requireNonNull(secret, "client secret");
            redirectUris = List.copyOf(redirectUris);
            if (redirectUris.isEmpty()) {
                throw new IllegalArgumentException("at least one redirect URI must be registered");
            }
        }
    }

    /** Who every sign-in becomes: the ID token's subject and its extra claims (e.g. groups). */
    public record User(String subject, Map<String, Object> claims) {
        public User {
            Objects.requireNonNull(subject, "subject");
            claims = Map.copyOf(claims);
        }
    }

    /** An HTTP answer: status, content type, body and extra headers. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers) {
        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body + "\n", Map.of());
        }

        static Answer json(int status, Map<String, ?> document) {
            try {
                return new Answer(
                        status,
                        "application/json",
                        JSON.writeValueAsString(document),
                        Map.of("Cache-Control", "no-store"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a token response", e);
            }
        }
    }

    private final DevIssuer signer;
    private final Client client;
    private final User user;
    private final Duration idTokenLifetime;
    private final DevSsoGrants grants;

    /** @param signer the dev issuer's key, already named as this issuer ({@link DevIssuer#asIssuer}) */
    public DevSsoExchanges(DevIssuer signer, Client client, User user, Duration idTokenLifetime, DevSsoGrants grants) {
        this.signer = signer;
        this.client = client;
        this.user = user;
        this.idTokenLifetime = idTokenLifetime;
        this.grants = grants;
    }

    /** {@code GET /authorize}: a redirect back to the client with a code, or a refusal that redirects nowhere. */
    public Answer authorize(Map<String, String> query) {
        if (!client.id().equals(query.get("client_id"))) {
            return Answer.text(400, "unknown client_id");
        }
        String redirectUri = query.get("redirect_uri");
        HttpUrl back = redirectUri == null ? null : HttpUrl.parse(redirectUri);
        if (back == null
                || client.redirectUris().stream()
                        .noneMatch(uri -> uri.toString().equals(redirectUri))) {
            // Never redirect to an unregistered address: that would hand a code to whoever named it.
            return Answer.text(400, "redirect_uri is not registered for this client");
        }
        if (!"code".equals(query.get("response_type"))) {
            return Answer.text(400, "only response_type=code is supported");
        }
        String challenge = query.get("code_challenge");
        if (!"S256".equals(query.get("code_challenge_method")) || challenge == null || challenge.length() != 43) {
            return Answer.text(400, "PKCE with code_challenge_method=S256 is required");
        }
        String code = grants.issue(client.id(), redirectUri, query.get("nonce"), challenge);
        HttpUrl.Builder location = back.newBuilder().addQueryParameter("code", code);
        Optional.ofNullable(query.get("state")).ifPresent(state -> location.addQueryParameter("state", state));
        return new Answer(
                302,
                "text/plain; charset=utf-8",
                "",
                Map.of("Location", location.build().toString()));
    }

    /** {@code POST /token}: the ID token for a valid code, else an RFC 6749 error. */
    public Answer token(Map<String, String> form, Optional<String> authorization) {
        if (!authenticated(form, authorization)) {
            log.warn("dev SSO issuer: token request refused: unknown client or wrong client secret");
            return Answer.json(401, Map.of("error", "invalid_client"));
        }
        if (!"authorization_code".equals(form.get("grant_type"))) {
            return Answer.json(400, Map.of("error", "unsupported_grant_type"));
        }
        DevSsoGrants.Redemption redemption =
                grants.redeem(form.get("code"), client.id(), form.get("redirect_uri"), form.get("code_verifier"));
        if (redemption instanceof DevSsoGrants.Redemption.Refused refused) {
            log.warn("dev SSO issuer: token request refused: {}", refused.reason());
            return Answer.json(400, Map.of("error", "invalid_grant", "error_description", refused.reason()));
        }
        DevSsoGrants.Grant grant = ((DevSsoGrants.Redemption.Granted) redemption).grant();
        Map<String, Object> claims = new LinkedHashMap<>(user.claims());
        if (grant.nonce() != null) {
            claims.put("nonce", grant.nonce());
        }
        String idToken = signer.mint(user.subject(), client.id(), idTokenLifetime, claims);
        return Answer.json(
                200,
                Map.of(
                        // Nothing accepts this access token: the approval page reads only the ID token.
                        "access_token",
                        OidcCodeFlow.random(),
                        "token_type",
                        "Bearer",
                        "expires_in",
                        idTokenLifetime.toSeconds(),
                        "id_token",
                        idToken));
    }

    /** client_secret_basic (what the gateway sends) or client_secret_post, compared in constant time. */
    private boolean authenticated(Map<String, String> form, Optional<String> authorization) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder()
                                .decode(authorization.get().substring(6).strip()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            id = decoded.substring(0, colon);
            secret = decoded.substring(colon + 1);
        }
        return client.id().equals(id)
                && secret != null
                && MessageDigest.isEqual(
                        secret.getBytes(StandardCharsets.UTF_8), client.secret().getBytes(StandardCharsets.UTF_8));
    }
}
