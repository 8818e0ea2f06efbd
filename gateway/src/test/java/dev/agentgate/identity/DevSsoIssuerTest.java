package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.jwk.JWKSet;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.IssuerConfig;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dev SSO issuer on a real loopback port, signed in to by the approval page's own {@link OidcCodeFlow}
 * (PKCE S256, client secret, ID token validated by the gateway's validator with the issuer's discovered keys).
 */
@Tag("integration")
class DevSsoIssuerTest {
    private static final String CLIENT_ID = "agentgate-approvals";
    private static final String SECRET = "dev-sso-client-secret";
    private static final URI CALLBACK = URI.create("http://127.0.0.1:19090/approve/callback");

    private static DevSsoIssuer issuer;
    private static JwtTokenValidator idTokens;
    private static OkHttpClient http;

    @BeforeAll
    static void start() throws Exception {
        DevIssuer signer = new DevIssuer(DevIssuer.generateKey(), Clock.systemUTC());
        issuer = DevSsoIssuer.start(
                0,
                url -> new DevSsoExchanges(
                        signer.asIssuer(url.toString()),
                        new DevSsoExchanges.Client(CLIENT_ID, SECRET, List.of(CALLBACK)),
                        new DevSsoExchanges.User("dana", Map.of("groups", List.of("dba-oncall"))),
                        Duration.ofMinutes(5),
                        new DevSsoGrants(Clock.systemUTC())),
                new JWKSet(signer.publicKey()));
        idTokens = JwtTokenValidator.create(
                new IdentityConfig(
                        Duration.ofSeconds(30),
                        List.of(new IssuerConfig(
                                issuer.uri().toString(),
                                List.of(CLIENT_ID),
                                null,
                                IssuerConfig.DEFAULT_ALGORITHMS,
                                IssuerConfig.DEFAULT_REQUIRED_CLAIMS)),
                        null),
                false);
        http = new OkHttpClient.Builder().followRedirects(false).build();
    }

    @AfterAll
    static void stop() {
        issuer.close();
        idTokens.close();
        http.dispatcher().executorService().shutdown();
    }

    private static OidcCodeFlow flow(String secret) {
        return new OidcCodeFlow(issuer.uri(), CLIENT_ID, secret, CALLBACK, idTokens, http);
    }

    /** Follows the authorization URL as a browser would and returns the redirect back to the page. */
    private static HttpUrl authorize(OidcCodeFlow flow, OidcCodeFlow.Attempt attempt) throws Exception {
        URI url = flow.authorizationUrl(attempt).get(10, TimeUnit.SECONDS);
        try (Response response =
                http.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(302);
            return HttpUrl.get(response.header("Location"));
        }
    }

    @Test
    void aSignInOfTheApprovalPageBecomesTheConfiguredUserWithHerGroupsAsThisIssuer() throws Exception {
        OidcCodeFlow flow = flow(SECRET);
        OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
        HttpUrl back = authorize(flow, attempt);

        Identity identity = flow.complete(attempt, back.queryParameter("code")).get(10, TimeUnit.SECONDS);

        assertThat(back.toString()).startsWith(CALLBACK + "?code=");
        assertThat(back.queryParameter("state")).isEqualTo(attempt.state());
        assertThat(identity.issuer()).isEqualTo(issuer.uri().toString());
        assertThat(identity.subject()).isEqualTo("dana");
        assertThat(identity.claims()).containsEntry("groups", List.of("dba-oncall"));
    }

    @Test
    void aCodeExchangedWithAWrongPkceVerifierIsRefused() throws Exception {
        OidcCodeFlow flow = flow(SECRET);
        OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
        String code = authorize(flow, attempt).queryParameter("code");
        OidcCodeFlow.Attempt wrongVerifier = new OidcCodeFlow.Attempt(
                attempt.state(), attempt.nonce(), OidcCodeFlow.random() + OidcCodeFlow.random());

        assertThatThrownBy(() -> flow.complete(wrongVerifier, code).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("/token answered 400");
    }

    @Test
    void aCodeExchangedASecondTimeIsRefused() throws Exception {
        OidcCodeFlow flow = flow(SECRET);
        OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
        String code = authorize(flow, attempt).queryParameter("code");
        flow.complete(attempt, code).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> flow.complete(attempt, code).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("/token answered 400");
    }

    @Test
    void aClientWithAWrongSecretGetsNoToken() throws Exception {
        OidcCodeFlow flow = flow("not-the-secret");
        OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
        String code = authorize(flow, attempt).queryParameter("code");

        assertThatThrownBy(() -> flow.complete(attempt, code).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("/token answered 401");
    }

    @Test
    void anAuthorizationRequestForAnUnregisteredRedirectUriIsRefusedWithoutRedirecting() throws Exception {
        HttpUrl url = HttpUrl.get(issuer.uri() + "/authorize")
                .newBuilder()
                .addQueryParameter("response_type", "code")
                .addQueryParameter("client_id", CLIENT_ID)
                .addQueryParameter("redirect_uri", "http://attacker.example/callback")
                .addQueryParameter("code_challenge", DevSsoGrants.s256(OidcCodeFlow.random()))
                .addQueryParameter("code_challenge_method", "S256")
                .build();

        try (Response response =
                http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.header("Location")).isNull();
            assertThat(response.body().string()).isEqualTo("redirect_uri is not registered for this client\n");
        }
    }

    @Test
    void anAuthorizationRequestWithoutPkceS256IsRefused() throws Exception {
        HttpUrl url = HttpUrl.get(issuer.uri() + "/authorize")
                .newBuilder()
                .addQueryParameter("response_type", "code")
                .addQueryParameter("client_id", CLIENT_ID)
                .addQueryParameter("redirect_uri", CALLBACK.toString())
                .addQueryParameter("code_challenge", "plain-challenge")
                .addQueryParameter("code_challenge_method", "plain")
                .build();

        try (Response response =
                http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.header("Location")).isNull();
        }
    }

    @Test
    void listensOnTheLoopbackAddressOnlySoThisHostsOtherAddressesRefuseTheConnection() throws Exception {
        InetAddress external = NetworkInterface.networkInterfaces()
                .filter(nic -> isUp(nic) && !isLoopback(nic))
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address)
                .findFirst()
                .orElse(null);
        assumeTrue(external != null, "this host has no non-loopback IPv4 address");

        assertThat(issuer.uri().getHost()).isEqualTo("127.0.0.1");
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(
                            new InetSocketAddress(external, issuer.uri().getPort()), 2_000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean isLoopback(NetworkInterface nic) {
        try {
            return nic.isLoopback();
        } catch (SocketException e) {
            return true;
        }
    }
}
