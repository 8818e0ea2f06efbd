package dev.agentgate.approval.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vote on the approval page sent by a plain HTTP client with the headers a browser sends when another site submits
 * the form: refused with 403 before anything else is looked at; the same form from the page's own origin goes on to
 * the page's checks (here: not signed in).
 */
@Tag("integration")
class ApprovalPageCrossSiteTest {
    private static final String LINK_KEY = "cross-site-test-link-key-0123456789abcdef";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path directory;

    private static TestOidcIssuer issuer;
    private static ChannelsGateway gateway;
    private static URI adminUrl;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestOidcIssuer();
        int adminPort = FreePorts.next();
        adminUrl = URI.create("http://127.0.0.1:" + adminPort);
        ApprovalSsoConfig sso = new ApprovalSsoConfig(
                issuer.uri(),
                TestOidcIssuer.CLIENT_ID,
                TestOidcIssuer.CLIENT_SECRET,
                URI.create(adminUrl + ApprovalPageRoute.CALLBACK_PATH));
        gateway = ChannelsGateway.start(
                directory,
                new ApprovalChannelsConfig(Optional.empty(), Optional.of(LINK_KEY), Optional.of(sso)),
                adminPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void aVoteSentFromAnotherSiteIsRefusedWith403AndDecidesNothing() throws Exception {
        HttpResponse<String> response = vote("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("This form was not sent from the approval page; nothing was decided.");
    }

    @Test
    void aVoteFromAnotherOriginIsRefusedWith403EvenWithoutFetchMetadata() throws Exception {
        HttpResponse<String> response = vote("Origin", "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aVoteFromThePagesOwnOriginGoesOnToThePagesChecks() throws Exception {
        HttpResponse<String> response = vote("Sec-Fetch-Site", "same-origin", "Origin", adminUrl.toString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Open the approval link again to sign in.");
    }

    private static HttpResponse<String> vote(String... headers) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(adminUrl + "/approve/apr-000000000000"))
                        .headers(headers)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("decision=approve&csrf=guessed&exp=1&sig=x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
