package dev.agentgate.approval.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.identity.DevSsoExchanges;
import dev.agentgate.identity.DevSsoGrants;
import dev.agentgate.identity.DevSsoIssuer;
import dev.agentgate.testing.FreePorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's approval, as a test: the approval page signs in at {@code agentgate dev sso}'s issuer, and an HTTP
 * client with a cookie jar (what the quickstart's curl does) follows a signed link through that sign-in, posts the
 * page's form, and the held DROP runs on the real MariaDB target.
 */
@Tag("integration")
class ApprovalPageDevSsoTest {
    private static final String LINK_KEY = "dev-sso-test-link-key-0123456789abcdef";
    private static final String CLIENT_ID = "agentgate-approvals";
    private static final String CLIENT_SECRET = "dev-sso-test-client-secret";
    private static final Pattern HIDDEN = Pattern.compile("name=\"(exp|sig|csrf)\" value=\"([^\"]*)\"");

    @TempDir
    static Path directory;

    private static DevSsoIssuer sso;
    private static ChannelsGateway gateway;
    private static URI adminUrl;

    @BeforeAll
    static void start() throws Exception {
        int adminPort = FreePorts.next();
        adminUrl = URI.create("http://127.0.0.1:" + adminPort);
        URI callback = URI.create(adminUrl + ApprovalPageRoute.CALLBACK_PATH);
        DevIssuer signer = new DevIssuer(DevIssuer.generateKey(), Clock.systemUTC());
        sso = DevSsoIssuer.start(
                0,
                issuer -> new DevSsoExchanges(
                        signer.asIssuer(issuer.toString()),
                        new DevSsoExchanges.Client(CLIENT_ID, CLIENT_SECRET, List.of(callback)),
                        new DevSsoExchanges.User("dana", Map.of("groups", List.of("dba-oncall"))),
                        Duration.ofMinutes(5),
                        new DevSsoGrants(Clock.systemUTC())),
                new JWKSet(signer.publicKey()));
        gateway = ChannelsGateway.start(
                directory,
                new ApprovalChannelsConfig(
                        Optional.empty(),
                        Optional.of(LINK_KEY),
                        Optional.of(new ApprovalSsoConfig(sso.uri(), CLIENT_ID, CLIENT_SECRET, callback))),
                adminPort);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sso != null) {
            sso.close();
        }
    }

    /** Cookies kept across requests and redirects, as curl's cookie jar keeps them. */
    private static final class MemoryCookieJar implements CookieJar {
        private final List<Cookie> cookies = new CopyOnWriteArrayList<>();

        @Override
        public void saveFromResponse(HttpUrl url, List<Cookie> received) {
            for (Cookie cookie : received) {
                cookies.removeIf(old -> old.name().equals(cookie.name()));
                cookies.add(cookie);
            }
        }

        @Override
        public List<Cookie> loadForRequest(HttpUrl url) {
            return cookies.stream().filter(cookie -> cookie.matches(url)).toList();
        }
    }

    @Test
    void anApproverFollowsTheLinkThroughTheDevSsoSignInApprovesOnThePageAndTheHeldDropRuns() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.dev_sso_drop (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.dev_sso_drop");
        ApprovalRecord pending = gateway.pendingFor("dev_sso_drop", drop);
        URI link = new SignedLinks(LINK_KEY, adminUrl, Clock.systemUTC())
                .linkFor(pending.request().id(), pending.request().expiresAt());
        OkHttpClient browser = new OkHttpClient.Builder()
                .cookieJar(new MemoryCookieJar())
                .followRedirects(true)
                .build();

        String page;
        try (Response response = browser.newCall(
                        new Request.Builder().url(link.toString()).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.priorResponse())
                    .as("redirected through the sign-in")
                    .isNotNull();
            page = response.body().string();
        }
        assertThat(page).contains("<span id=\"approver\">" + sso.uri() + "|dana</span>");
        FormBody.Builder form = new FormBody.Builder().add("decision", "approve");
        Matcher hidden = HIDDEN.matcher(page);
        while (hidden.find()) {
            form.add(hidden.group(1), hidden.group(2));
        }
        String answer;
        try (Response response = browser.newCall(new Request.Builder()
                        .url(adminUrl
                                + SignedLinks.PATH_PREFIX
                                + pending.request().id())
                        .header("Origin", adminUrl.toString())
                        .post(form.build())
                        .build())
                .execute()) {
            answer = response.body().string();
        }

        assertThat(answer)
                .contains("<p id=\"message\">Request " + pending.request().id() + " is approved.</p>");
        drop.get(20, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'dev_sso_drop'"))
                .isBlank();
    }
}
