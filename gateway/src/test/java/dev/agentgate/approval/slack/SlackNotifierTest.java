package dev.agentgate.approval.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.Payload;
import dev.agentgate.approval.ApprovalLinks;
import dev.agentgate.approval.ApprovalOutcome;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.SampleRequests;
import dev.agentgate.approval.Verdict;
import dev.agentgate.approval.Vote;
import dev.agentgate.approval.page.SignedLinks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {
    private static final String LINK_KEY = "0123456789abcdef0123456789abcdef";

    private final OkHttpClient http = new OkHttpClient();
    private final Instant now = Instant.now();
    private final ApprovalRequest request = SampleRequests.drop("apr-0123456789ab", now);
    private TestSlack slack;
    private SlackPoster poster;
    private SlackNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        slack = new TestSlack();
        poster = new SlackPoster(http, 3, Duration.ofMillis(20));
        SignedLinks links = new SignedLinks(LINK_KEY, URI.create("https://gateway.example:9090"), Clock.systemUTC());
        notifier = new SlackNotifier(slack.webhook(), poster, Optional.of(links));
    }

    @AfterEach
    void stop() throws Exception {
        poster.close();
        slack.close();
    }

    @Test
    void aRequestIsPostedToTheWebhookWithWhoWhatWhereWhyAndTheStatement() throws Exception {
        notifier.requested(request, ApprovalLinks.NONE).get(5, TimeUnit.SECONDS);

        TestSlack.Posted posted = slack.nextMessage();
        JsonNode blocks = posted.message().path("blocks");
        assertThat(posted.path()).isEqualTo("/webhook");
        assertThat(blocks.path(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.path(0).path("text").path("text").asText())
                .isEqualTo(
                        "Approval needed: destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall");
        List<String> fields = blocks.path(1).path("fields").findValuesAsText("text");
        assertThat(fields)
                .contains(
                        "*Who*\nhttps://issuer.example|agent-7",
                        "*Where*\nmariadb / shop",
                        "*Approvals needed*\n1",
                        "*Request*\n`apr-0123456789ab`");
        assertThat(fields)
                .anySatisfy(field -> assertThat(field)
                        .startsWith(
                                "*Open until*\n<!date^" + request.expiresAt().getEpochSecond() + "^"));
        assertThat(blocks.path(2).path("text").path("text").asText()).isEqualTo("```DROP TABLE shop.legacy_orders```");
    }

    @Test
    void anUpdatesRequestShowsTheRowsItWouldChangeAndThatMoreAreRolledBackOutsideTheClientsTransaction()
            throws Exception {
        notifier.requested(SampleRequests.update("apr-0123456789ac", now, 42), ApprovalLinks.NONE)
                .get(5, TimeUnit.SECONDS);

        List<String> fields = slack.nextMessage()
                .message()
                .path("blocks")
                .path(1)
                .path("fields")
                .findValuesAsText("text");
        assertThat(fields)
                .contains("*Rows it would change*\n42 (more are rolled back, unless run inside the client's own"
                        + " transaction)");
    }

    @Test
    void theRequestMessageCarriesApproveAndDenyButtonsWithTheRequestIdAndTheSignedLink() throws Exception {
        notifier.requested(request, ApprovalLinks.NONE).get(5, TimeUnit.SECONDS);

        JsonNode blocks = slack.nextMessage().message().path("blocks");
        JsonNode actions = blocks.path(3);
        assertThat(actions.path("type").asText()).isEqualTo("actions");
        assertThat(actions.path("block_id").asText()).isEqualTo("approval:apr-0123456789ab");
        assertThat(actions.path("elements").findValuesAsText("action_id"))
                .containsExactly(SlackMessages.APPROVE_ACTION, SlackMessages.DENY_ACTION);
        assertThat(actions.path("elements").findValuesAsText("value"))
                .containsExactly("apr-0123456789ab", "apr-0123456789ab");
        assertThat(actions.path("elements").findValuesAsText("style")).containsExactly("primary", "danger");
        assertThat(blocks.path(4).path("elements").path(0).path("text").asText())
                .contains("<https://gateway.example:9090/approve/apr-0123456789ab?exp="
                        + request.expiresAt().getEpochSecond() + "&sig=");
    }

    @Test
    void theRequestMessageReadsAsBlockKitInSlacksSdkModelWithButtonsCarryingTheRequestId() throws Exception {
        notifier.requested(request, ApprovalLinks.NONE).get(5, TimeUnit.SECONDS);

        Payload posted = GsonFactory.createSnakeCase()
                .fromJson(slack.nextMessage().message().toString(), Payload.class);
        assertThat(posted.getBlocks())
                .extracting(LayoutBlock::getType)
                .containsExactly("header", "section", "section", "actions", "context");
        List<ButtonElement> buttons = posted.getBlocks().stream()
                .filter(ActionsBlock.class::isInstance)
                .flatMap(block -> ((ActionsBlock) block).getElements().stream())
                .map(ButtonElement.class::cast)
                .toList();
        assertThat(buttons)
                .extracting(
                        ButtonElement::getActionId,
                        ButtonElement::getValue,
                        button -> button.getText().getText())
                .containsExactly(
                        tuple(SlackMessages.APPROVE_ACTION, "apr-0123456789ab", "Approve"),
                        tuple(SlackMessages.DENY_ACTION, "apr-0123456789ab", "Deny"));
    }

    @Test
    void aWebhookThatKeepsFailingIsTriedMaxAttemptsTimesAndThenFailsTheRequest() {
        slack.failWith(503);

        var delivered = notifier.requested(request, ApprovalLinks.NONE);

        assertThatThrownBy(() -> delivered.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SlackPoster.SlackPostException.class)
                .hasMessageContaining("Slack answered 503");
        assertThat(slack.attempts()).containsExactly("/webhook", "/webhook", "/webhook");
    }

    @Test
    void aWebhookThatRecoversBeforeTheLastAttemptDeliversTheMessage() throws Exception {
        slack.failWith(500);
        var delivered = notifier.requested(request, ApprovalLinks.NONE);
        Thread.sleep(10);
        slack.failWith(0);

        delivered.get(5, TimeUnit.SECONDS);
        assertThat(slack.nextMessage().message().path("text").asText()).contains("apr-0123456789ab");
    }

    @Test
    void aRevokedWebhookFailsAtOnceWithoutRetrying() {
        slack.failWith(404);

        var delivered = notifier.requested(request, ApprovalLinks.NONE);

        assertThatThrownBy(() -> delivered.get(5, TimeUnit.SECONDS)).hasMessageContaining("Slack answered 404");
        assertThat(slack.attempts()).hasSize(1);
    }

    @Test
    void theOutcomeReplacesTheClickedMessageThroughItsResponseUrl() throws Exception {
        notifier.clickedFrom(request.id(), HttpUrl.get(slack.responseUrl(1)));
        Approver approver = new Approver("https://sso.example", "dana", List.of(), Approver.Via.SLACK);

        notifier.decided(
                request,
                new ApprovalOutcome(
                        request.id(),
                        ApprovalState.APPROVED,
                        now,
                        List.of(new Vote(approver, Verdict.APPROVE, now, "slack:T1/U1"))));

        TestSlack.Posted posted = slack.nextMessage();
        ActionResponse replacement =
                GsonFactory.createSnakeCase().fromJson(posted.message().toString(), ActionResponse.class);
        assertThat(posted.path()).isEqualTo("/response/1");
        assertThat(replacement.isReplaceOriginal()).isTrue();
        assertThat(replacement.getText()).isEqualTo("apr-0123456789ab approved by https://sso.example|dana");
        assertThat(replacement.getBlocks()).isNotEmpty().noneMatch(ActionsBlock.class::isInstance);
    }

    @Test
    void anExpiryWithoutAClickIsPostedAsANewMessageToTheWebhook() throws Exception {
        notifier.decided(request, new ApprovalOutcome(request.id(), ApprovalState.EXPIRED, now, List.of()));

        TestSlack.Posted posted = slack.nextMessage();
        assertThat(posted.path()).isEqualTo("/webhook");
        assertThat(posted.message().path("text").asText()).isEqualTo("apr-0123456789ab expired without a decision");
    }
}
