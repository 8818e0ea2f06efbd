package dev.agentgate.approval.page;

import static dev.agentgate.testing.HeadlessChromium.shown;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.approval.slack.SlackClicks;
import dev.agentgate.approval.slack.SlackMessages;
import dev.agentgate.approval.slack.TestSlack;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.config.SlackConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * A policy that requires a signed-in approver ({@code approval.strength: "sso"}), with both Slack (played by a real
 * HTTP server) and the approval page configured: a click on the Slack message's Approve button does not count,
 * and the approval page behind the message's link, in a real browser, decides the request.
 */
@Tag("integration")
class SsoStrengthBrowserTest {
    private static final String LINK_KEY = "sso-strength-test-link-key-0123456789";
    private static final String SIGNING_SECRET = "sso-strength-signing-secret-0123";
    private static final String DANA = "U0DANA";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAGE_LINK = Pattern.compile("<(http[^|>]+)\\|open apr-");

    static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {
            	"action": "require_approval",
            	"reason": "destructive: DROP TABLE needs a signed-in approver",
            	"approval": {
            		"approvers": ["dana"], "mode": "hold", "timeout_s": 60,
            		"channel": "slack:#db-approvals", "strength": "sso",
            	},
            } if input.statement.type == "drop_table"
            """;

    @TempDir
    static Path directory;

    private static TestOidcIssuer issuer;
    private static TestSlack slack;
    private static ChannelsGateway gateway;
    private static WebDriver browser;
    private static SlackClicks clicks;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestOidcIssuer();
        slack = new TestSlack();
        int adminPort = FreePorts.next();
        URI adminUrl = URI.create("http://127.0.0.1:" + adminPort);
        SlackConfig slackConfig = new SlackConfig(
                slack.webhook(),
                SIGNING_SECRET,
                Map.of(DANA, new SlackConfig.SlackUser(DevIssuer.ISSUER, "dana", List.of())),
                3,
                Duration.ofMillis(20));
        ApprovalSsoConfig sso = new ApprovalSsoConfig(
                issuer.uri(),
                TestOidcIssuer.CLIENT_ID,
                TestOidcIssuer.CLIENT_SECRET,
                URI.create(adminUrl + ApprovalPageRoute.CALLBACK_PATH));
        gateway = ChannelsGateway.start(
                directory,
                new ApprovalChannelsConfig(Optional.of(slackConfig), Optional.of(LINK_KEY), Optional.of(sso)),
                adminPort,
                REGO);
        clicks = new SlackClicks(gateway.adminUrl(), SIGNING_SECRET, slack);
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
        slack.close();
        issuer.close();
    }

    @Test
    void aSlackClickOnARequestNeedingSignInIsRefusedAsTooWeakAndTheApprovalPageThenApprovesIt() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.sso_drop (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.sso_drop");
        ApprovalRecord pending = gateway.pendingFor("sso_drop", drop);
        String id = pending.request().id();
        JsonNode question = slack.nextMessageAbout("sso_drop").message();

        HttpResponse<String> click = clicks.click(DANA, SlackMessages.APPROVE_ACTION, id, 1);

        assertThat(click.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(click.body()).path("code").asText()).isEqualTo("too_weak");
        assertThat(slack.nextMessageAbout("sign-in required")
                        .message()
                        .path("text")
                        .asText())
                .isEqualTo("Your vote was not counted: request " + id
                        + " must be decided on the approval page (sign-in required)");
        assertThat(gateway.approvals().find(id).join().orElseThrow().votes()).isEmpty();
        assertThat(drop).isNotDone();

        browser.get(pageLink(question));
        shown(browser, "username").sendKeys("dana");
        shown(browser, "sign-in").click();
        shown(browser, "approve").click();

        assertThat(shown(browser, "message").getText()).isEqualTo("Request " + id + " is approved.");
        drop.get(20, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'sso_drop'")).isBlank();
        ApprovalRecord approved = gateway.approvals().find(id).join().orElseThrow();
        assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
        assertThat(approved.votes())
                .singleElement()
                .satisfies(vote -> assertThat(vote.approver().name()).isEqualTo(issuer.issuer() + "|dana"));
    }

    /** The approval page link the Slack question carries, in its context block. */
    private static String pageLink(JsonNode question) {
        Matcher link = PAGE_LINK.matcher(question.toString());
        assertThat(link.find()).as("an approval page link in %s", question).isTrue();
        return link.group(1);
    }
}
