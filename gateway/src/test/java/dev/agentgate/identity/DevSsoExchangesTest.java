package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class DevSsoExchangesTest {
    private static final String ISSUER = "http://127.0.0.1:18280";
    private static final String CLIENT_ID = "agentgate-approvals";
    private static final String SECRET = "s3cret";
    private static final String CALLBACK = "http://127.0.0.1:19090/approve/callback";
    private static final String VERIFIER = OidcCodeFlow.random() + OidcCodeFlow.random();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DevSsoExchanges exchanges = new DevSsoExchanges(
            new DevIssuer(DevIssuer.generateKey(), Clock.systemUTC()).asIssuer(ISSUER),
            new DevSsoExchanges.Client(CLIENT_ID, SECRET, List.of(URI.create(CALLBACK))),
            new DevSsoExchanges.User("dana", Map.of("groups", List.of("dba-oncall"))),
            Duration.ofMinutes(5),
            new DevSsoGrants(Clock.systemUTC()));

    private String code() {
        DevSsoExchanges.Answer answer = exchanges.authorize(Map.of(
                "response_type", "code",
                "client_id", CLIENT_ID,
                "redirect_uri", CALLBACK,
                "state", "state-1",
                "nonce", "nonce-1",
                "code_challenge", DevSsoGrants.s256(VERIFIER),
                "code_challenge_method", "S256"));
        assertThat(answer.status()).isEqualTo(302);
        HttpUrl back = HttpUrl.get(answer.headers().get("Location"));
        assertThat(back.queryParameter("state")).isEqualTo("state-1");
        return back.queryParameter("code");
    }

    private Map<String, String> exchange(String code) {
        return Map.of(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", CALLBACK,
                "code_verifier", VERIFIER);
    }

    @Test
    void theIdTokenNamesThisIssuerTheClientAsAudienceTheSignInsNonceAndTheUsersClaims() throws Exception {
        DevSsoExchanges.Answer answer =
                exchanges.token(exchange(code()), Optional.of(okhttp3.Credentials.basic(CLIENT_ID, SECRET)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("Cache-Control", "no-store");
        JsonNode body = JSON.readTree(answer.body());
        var claims = SignedJWT.parse(body.path("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getSubject()).isEqualTo("dana");
        assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
        assertThat(claims.getClaim("nonce")).isEqualTo("nonce-1");
        assertThat(claims.getStringListClaim("groups")).containsExactly("dba-oncall");
    }

    @Test
    void theClientMayAuthenticateWithItsSecretInTheForm() {
        Map<String, String> form = new java.util.HashMap<>(exchange(code()));
        form.put("client_id", CLIENT_ID);
        form.put("client_secret", SECRET);

        assertThat(exchanges.token(form, Optional.empty()).status()).isEqualTo(200);
    }

    @Test
    void aTokenRequestWithTheWrongSecretIsRefusedAsAnInvalidClient() {
        DevSsoExchanges.Answer answer =
                exchanges.token(exchange(code()), Optional.of(okhttp3.Credentials.basic(CLIENT_ID, "guess")));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"invalid_client\"}");
    }

    @Test
    void aTokenRequestWithAnotherVerifierIsRefusedAsAnInvalidGrant() {
        Map<String, String> form = new java.util.HashMap<>(exchange(code()));
        form.put("code_verifier", OidcCodeFlow.random() + OidcCodeFlow.random());

        DevSsoExchanges.Answer answer =
                exchanges.token(form, Optional.of(okhttp3.Credentials.basic(CLIENT_ID, SECRET)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"invalid_grant\"").contains("PKCE S256");
    }

    @Test
    void anAuthorizationRequestOfAnotherClientGetsNoCode() {
        DevSsoExchanges.Answer answer = exchanges.authorize(Map.of(
                "response_type", "code",
                "client_id", "someone-else",
                "redirect_uri", CALLBACK,
                "code_challenge", DevSsoGrants.s256(VERIFIER),
                "code_challenge_method", "S256"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers()).doesNotContainKey("Location");
    }
}
