package dev.agentgate.approval.page;

import static dev.agentgate.testing.HeadlessChromium.shown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.approval.Verdict;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.testing.HeadlessChromium;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * The approval page in a real browser (Debian's chromium through chromedriver): a signed link, the sign-in at the
 * company issuer, the Approve button, and the held DROP then running on the real MariaDB target.
 */
@Tag("integration")
class ApprovalPageBrowserTest {
    private static final String LINK_KEY = "browser-test-link-key-0123456789abcdef";

    @TempDir
    static Path directory;

    private static TestOidcIssuer issuer;
    private static ChannelsGateway gateway;
    private static WebDriver browser;
    private static URI adminUrl;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestOidcIssuer();
        int adminPort = dev.agentgate.testing.FreePorts.next();
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
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        issuer.close();
    }

    private static URI linkFor(ApprovalRecord record) {
        return new SignedLinks(LINK_KEY, adminUrl, Clock.systemUTC())
                .linkFor(record.request().id(), record.request().expiresAt());
    }

    /** Each test signs in afresh: no approval page session is left for the next. */
    @AfterEach
    void signOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void aDenyClickOnThePageDeniesTheRequestAndTheHeldDropIsRefusedNamingTheApprover() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.page_deny (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.page_deny");
        String id = gateway.pendingFor("page_deny", drop).request().id();
        URI link = linkFor(gateway.approvals().find(id).join().orElseThrow());

        browser.get(link.toString());
        shown(browser, "username").sendKeys("dana");
        shown(browser, "sign-in").click();
        shown(browser, "deny").click();

        assertThat(shown(browser, "message").getText()).isEqualTo("Request " + id + " is denied.");
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS))
                .rootCause()
                .hasMessageContaining("request " + id + " was denied by " + issuer.issuer() + "|dana");
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'page_deny'"))
                .isEqualTo("page_deny");
    }

    @Test
    void aCorrectlySignedLinkWhoseTimeIsUpIsRefusedAndDecidesNothing() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.page_expired (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.page_expired");
        String id = gateway.pendingFor("page_expired", drop).request().id();
        URI expired = new SignedLinks(LINK_KEY, adminUrl, Clock.systemUTC())
                .linkFor(id, Instant.now().minusSeconds(60));

        browser.get(expired.toString());

        assertThat(shown(browser, "message").getText()).isEqualTo("this link has expired, and so has the request");
        assertThat(gateway.approvals().find(id).join().orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
        gateway.approvals()
                .decide(id, new Approver(issuer.issuer(), "dana", List.of(), Approver.Via.SSO), Verdict.DENY, "test")
                .join();
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void anApproverSignsInThroughTheIssuerApprovesOnThePageAndTheDropRunsAndTheLinkIsThenUsedUp() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.page_drop (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.page_drop");
        URI link = linkFor(gateway.pendingFor("page_drop", drop));

        browser.get(link.toString());
        shown(browser, "username").sendKeys("dana");
        shown(browser, "sign-in").click();
        assertThat(shown(browser, "approver").getText()).isEqualTo(issuer.issuer() + "|dana");
        assertThat(shown(browser, "statement").getText()).contains("page_drop");
        shown(browser, "approve").click();

        assertThat(shown(browser, "message").getText()).endsWith("is approved.");
        drop.get(20, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'page_drop'"))
                .isBlank();
        browser.get(link.toString());
        assertThat(shown(browser, "message").getText()).isEqualTo("this link was already used");
    }

    @Test
    void aLinkWithAnAlteredSignatureIsRefused() {
        browser.get(adminUrl + "/approve/apr-000000000000?exp=" + (System.currentTimeMillis() / 1000 + 600)
                + "&sig=forged");

        assertThat(shown(browser, "message").getText()).isEqualTo("this link is not valid");
    }
}
