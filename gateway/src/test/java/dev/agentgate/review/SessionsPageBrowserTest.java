package dev.agentgate.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.approval.page.TestOidcIssuer;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sessions page in a real browser (Debian's chromium through chromedriver) on a real recorded gateway: sign-in at
 * the company issuer or with the admin key, the filters, and a session played back fast and at its original pace.
 */
@Tag("integration")
class SessionsPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static TestOidcIssuer issuer;
    private static ReviewGateway gateway;
    private static WebDriver browser;
    private static String agent7;
    private static String agent9;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestOidcIssuer();
        int adminPort = FreePorts.next();
        ApprovalSsoConfig sso = new ApprovalSsoConfig(
                issuer.uri(),
                TestOidcIssuer.CLIENT_ID,
                TestOidcIssuer.CLIENT_SECRET,
                URI.create("http://127.0.0.1:" + adminPort + "/approve/callback"));
        gateway = ReviewGateway.start(directory, Optional.of(sso), adminPort);
        agent7 = gateway.session("agent-7", "SELECT id, name FROM orders ORDER BY id", "DELETE FROM orders");
        agent9 = gateway.session("agent-9", "SELECT 1");
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
        if (issuer != null) {
            issuer.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(gateway.adminUrl() + "/review/whoami");
        browser.manage().deleteAllCookies();
    }

    @Test
    void anAuditorSignsInAtTheIssuerFiltersBySubjectAndPlaysTheSessionBackFast() throws Exception {
        browser.get(gateway.adminUrl() + "/review");
        visible("sign-in").click();
        visible("username").sendKeys("dana");
        browser.findElement(By.id("sign-in")).click();
        assertThat(visible("reviewer").getText()).isEqualTo(issuer.issuer() + "|dana");

        filter("filter-subject", "agent-7");
        assertThat(listedSessions()).containsExactly(agent7);
        row(agent7).click();
        new Select(visible("speed")).selectByValue("0");
        visible("play").click();

        String transcript = visible("playback-done").getText().isEmpty()
                ? ""
                : visible("transcript").getText();
        assertThat(transcript)
                .contains(
                        "mysql> SELECT id, name FROM orders ORDER BY id;",
                        "-- policy: allow (test: allowed)",
                        "2 rows in set",
                        "mysql> DELETE FROM orders;",
                        "ERROR 1142 (42000): Access denied by agentgate policy: test: no DELETE");
        assertThat(cells()).contains("ada", "NULL");
        assertThat(visible("playback-done").getText()).endsWith("session ended: client_quit");
        assertThat(playbacksOf(agent7)).anySatisfy(playback -> {
            assertThat(playback.path("reviewer").path("subject").asText()).isEqualTo("dana");
            assertThat(playback.path("reviewer").path("via").asText()).isEqualTo("PAGE");
        });
    }

    @Test
    void theAdminKeyOpensThePageWhereTheActionFilterFindsTheRefusedSessionPlayedAtItsOriginalPace() {
        browser.get(gateway.adminUrl() + "/review");
        visible("admin-key").sendKeys(ReviewGateway.ADMIN_KEY);
        browser.findElement(By.id("use-key")).click();
        assertThat(visible("reviewer").getText()).isEqualTo("admin-key|admin");

        new Select(visible("filter-action")).selectByValue("deny");
        visible("apply-filters").click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> listedSessions().equals(List.of(agent7)));
        row(agent7).click();
        new Select(visible("speed")).selectByValue("1");
        visible("play").click();

        assertThat(visible("playback-done").getText()).endsWith("session ended: client_quit");
        assertThat(visible("transcript").getText()).contains("mysql> DELETE FROM orders;");
    }

    @Test
    void aWrongAdminKeyIsRefused() {
        browser.get(gateway.adminUrl() + "/review");
        visible("admin-key").sendKeys("not-the-key");
        browser.findElement(By.id("use-key")).click();

        assertThat(visible("message").getText()).isEqualTo("That is not the admin key.");
    }

    @Test
    void aSignedInPersonWhoIsNotAnAuditorIsRefused() {
        browser.get(gateway.adminUrl() + "/review");
        visible("sign-in").click();
        visible("username").sendKeys("mallory");
        browser.findElement(By.id("sign-in")).click();

        assertThat(visible("message").getText()).isEqualTo("mallory is not an auditor (review.auditors)");
    }

    private static void filter(String field, String value) {
        visible(field).sendKeys(value);
        visible("apply-filters").click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> listedSessions().size() == 1);
    }

    private static List<String> listedSessions() {
        return browser.findElements(By.cssSelector("#sessions tbody tr")).stream()
                .map(row -> row.getAttribute("data-session-id"))
                .toList();
    }

    private static WebElement row(String sessionId) {
        return browser.findElement(By.cssSelector("#sessions tbody tr[data-session-id='" + sessionId + "']"));
    }

    private static List<String> cells() {
        return browser.findElements(By.cssSelector("#transcript .result-table td")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static WebElement visible(String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private static List<JsonNode> playbacksOf(String sessionId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(gateway.adminUrl() + "/recordings/" + sessionId + "/playbacks"))
                                .header("Authorization", "Bearer " + ReviewGateway.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        List<JsonNode> playbacks = new java.util.ArrayList<>();
        JSON.readTree(response.body()).path("playbacks").forEach(playbacks::add);
        return playbacks;
    }
}
