package dev.agentgate.approval.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.SlackConfig;
import dev.agentgate.identity.DevIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/**
 * Approvals on Slack end to end: a real gateway (MariaDB, OPA, SQLite state) posts the request to a Slack played by
 * a real HTTP server, and button clicks come back signed to the admin listener's interactivity URL.
 */
@Tag("integration")
class SlackApprovalsGatewayTest {
    private static final String SIGNING_SECRET = "test-signing-secret-0123456789";
    private static final String DANA = "U0DANA";
    /** The Slack account of the agent's owner, mapped to the agent's own identity. */
    private static final String AGENT_OWNER = "U0AGENT7";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static TestSlack slack;
    private static ChannelsGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();
    private static SlackClicks clicks;

    @BeforeAll
    static void start() throws Exception {
        slack = new TestSlack();
        SlackConfig config = new SlackConfig(
                slack.webhook(),
                SIGNING_SECRET,
                Map.of(
                        DANA,
                        new SlackConfig.SlackUser(DevIssuer.ISSUER, "dana", List.of()),
                        AGENT_OWNER,
                        new SlackConfig.SlackUser(DevIssuer.ISSUER, "agent-7", List.of())),
                3,
                Duration.ofMillis(20));
        gateway = ChannelsGateway.start(
                directory, new ApprovalChannelsConfig(Optional.of(config), Optional.empty(), Optional.empty()));
        clicks = new SlackClicks(gateway.adminUrl(), SIGNING_SECRET, slack);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        slack.close();
    }

    @AfterEach
    void slackAnswersAgain() {
        slack.failWith(0);
    }

    @Test
    void aDropWaitsUntilAMappedApproverClicksApproveAndThenRuns() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.approved_drop (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.approved_drop");
        // Slack may still receive late outcome updates of other tests' requests: wait for this request's question.
        String id = approveButtonValue(slack.nextMessageAbout("approved_drop").message());
        assertThat(drop).isNotDone();

        HttpResponse<String> click = clicks.click(DANA, SlackMessages.APPROVE_ACTION, id, 1, Instant.now());

        assertThat(click.statusCode()).as(id + " " + click.body()).isEqualTo(200);
        drop.get(10, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'approved_drop'"))
                .isBlank();
        TestSlack.Posted replaced = slack.nextMessageAbout(id + " approved");
        assertThat(replaced.path()).isEqualTo("/response/1");
        assertThat(replaced.message().path("text").asText())
                .isEqualTo(id + " approved by " + DevIssuer.ISSUER + "|dana");
    }

    @Test
    void aStatementApprovedThroughSlackIsCountedAmongResolvedApprovalsInTheMetrics() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.counted_drop (id INT)");
        double before = approvedInMetrics();
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.counted_drop");
        String id = approveButtonValue(slack.nextMessageAbout("counted_drop").message());

        clicks.click(DANA, SlackMessages.APPROVE_ACTION, id, 9, Instant.now());
        drop.get(20, TimeUnit.SECONDS);

        assertThat(approvedInMetrics()).isEqualTo(before + 1);
    }

    private double approvedInMetrics() throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line ->
                        line.startsWith("agentgate_approvals_resolved_total{") && line.contains("outcome=\"approved\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aClickByASlackUserNotMappedToAnApproverIsRefusedAndDecidesNothing() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.unmapped_click (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.unmapped_click");
        ApprovalRecord pending = gateway.pendingFor("unmapped_click", drop);
        slack.nextMessageAbout("unmapped_click");

        HttpResponse<String> click = clicks.click(
                "U0MALLORY", SlackMessages.APPROVE_ACTION, pending.request().id(), 2, Instant.now());

        assertThat(click.statusCode()).isEqualTo(403);
        assertThat(slack.nextMessageAbout("not an approver").path()).isEqualTo("/response/2");
        assertThat(gateway.approvals()
                        .find(pending.request().id())
                        .join()
                        .orElseThrow()
                        .state())
                .isEqualTo(ApprovalState.PENDING);
        clicks.click(DANA, SlackMessages.DENY_ACTION, pending.request().id(), 3, Instant.now());
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aClickByTheSlackUserMappedToTheRequesterIsRefusedAsSelfApproval() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.self_click (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.self_click");
        ApprovalRecord pending = gateway.pendingFor("self_click", drop);
        slack.nextMessageAbout("self_click");

        HttpResponse<String> click = clicks.click(
                AGENT_OWNER, SlackMessages.APPROVE_ACTION, pending.request().id(), 7, Instant.now());

        assertThat(click.statusCode()).isEqualTo(403);
        assertThat(slack.nextMessageAbout("own request").path()).isEqualTo("/response/7");
        assertThat(gateway.approvals()
                        .find(pending.request().id())
                        .join()
                        .orElseThrow()
                        .state())
                .isEqualTo(ApprovalState.PENDING);
        clicks.click(DANA, SlackMessages.DENY_ACTION, pending.request().id(), 8, Instant.now());
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'self_click'"))
                .contains("self_click");
    }

    @Test
    void aClickSignedWithAnotherSecretIsRefusedWith401() throws Exception {
        String body = clicks.form(DANA, SlackMessages.APPROVE_ACTION, "apr-000000000000", 4);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String forged = new SlackSignature.Generator("not-the-secret").generate(timestamp, body);

        assertThat(clicks.post(body, timestamp, forged).statusCode()).isEqualTo(401);
    }

    @Test
    void aCorrectlySignedClickFromSixMinutesAgoIsRefusedWith401() throws Exception {
        HttpResponse<String> click = clicks.click(
                DANA,
                SlackMessages.APPROVE_ACTION,
                "apr-000000000000",
                5,
                Instant.now().minusSeconds(360));

        assertThat(click.statusCode()).isEqualTo(401);
        assertThat(click.body()).doesNotContain("Exception");
    }

    @Test
    void aReplayedClickIsRefusedWith401() throws Exception {
        String body = clicks.form(DANA, SlackMessages.APPROVE_ACTION, "apr-000000000000", 6);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = clicks.signature(timestamp, body);
        clicks.post(body, timestamp, signature);

        assertThat(clicks.post(body, timestamp, signature).statusCode()).isEqualTo(401);
    }

    @Test
    void whenSlackStaysDownTheStatementIsRefusedAndNotRun() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.slack_down (id INT)");
        slack.failWith(503);

        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.slack_down");

        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'slack_down'"))
                .contains("slack_down");
    }

    /** The request id the Approve button of a question message carries back to the gateway. */
    private static String approveButtonValue(JsonNode message) {
        for (JsonNode block : message.path("blocks")) {
            for (JsonNode element : block.path("elements")) {
                if (SlackMessages.APPROVE_ACTION.equals(
                        element.path("action_id").asText())) {
                    return element.path("value").asText();
                }
            }
        }
        throw new AssertionError("no Approve button in " + message);
    }
}
