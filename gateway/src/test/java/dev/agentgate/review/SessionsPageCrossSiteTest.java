package dev.agentgate.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.testing.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions page's forms (admin key, sign-out) sent by a plain HTTP client with the headers a browser sends when
 * another site submits them: refused with 403 and no session cookie; the same form from the page itself opens one.
 */
@Tag("integration")
class SessionsPageCrossSiteTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path directory;

    private static ReviewGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = ReviewGateway.start(directory, Optional.empty(), FreePorts.next());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theAdminKeyFormSentFromAnotherSiteIsRefusedWith403AndOpensNoSession() throws Exception {
        HttpResponse<String> response = postKey("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("This form was not sent from the sessions page.");
        assertThat(response.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void theAdminKeyFormFromAnotherOriginIsRefusedEvenWhenItClaimsSameOrigin() throws Exception {
        HttpResponse<String> response = postKey("Sec-Fetch-Site", "same-origin", "Origin", "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void theAdminKeyFormFromTheSessionsPageItselfOpensASession() throws Exception {
        HttpResponse<String> response = postKey(
                "Sec-Fetch-Site", "same-origin", "Origin", gateway.adminUrl().toString());

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("set-cookie"))
                .hasValueSatisfying(cookie -> assertThat(cookie).startsWith(ReviewAccess.PAGE_COOKIE + "="));
    }

    @Test
    void theSignOutFormSentFromAnotherSiteIsRefusedWith403() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/review/sign-out"))
                        .header("Sec-Fetch-Site", "cross-site")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    private static HttpResponse<String> postKey(String... headers) throws Exception {
        String form = "key=" + URLEncoder.encode(ReviewGateway.ADMIN_KEY, StandardCharsets.UTF_8);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/review/key"))
                        .headers(headers)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
