package dev.agentgate.approval.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.SampleRequests;
import dev.agentgate.approval.Verdict;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class SlackClickTest {
    private static final Gson SLACK_JSON = GsonFactory.createSnakeCase();
    private static final String RESPONSE_URL =
            "https://hooks.slack.com/actions/T0TEST/1232321423432/D09sSasdasdAS9091209";

    private final ApprovalRequest request = SampleRequests.drop("apr-0123456789ab", Instant.now());

    /**
     * A click as Slack sends it (after its documented {@code block_actions} example), with the container, the
     * channel and the state of the message's inputs; {@link #read} adds the clicked message.
     */
    private static JsonObject slacksPayload(String actionId) {
        return JsonParser.parseString("""
                {"type": "block_actions",
                 "team": {"id": "T0TEST", "domain": "example"},
                 "user": {"id": "U0DANA", "username": "dana", "name": "dana", "team_id": "T0TEST"},
                 "api_app_id": "AABA1ABCD",
                 "token": "9s8d9as89d8as9d8as989",
                 "container": {"type": "message", "message_ts": "1548261231.000200", "channel_id": "CBR2V3XEX",
                               "is_ephemeral": false},
                 "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
                 "channel": {"id": "CBR2V3XEX", "name": "db-approvals"},
                 "state": {"values": {}},
                 "response_url": "%s",
                 "actions": [{"action_id": "%s", "block_id": "approval:apr-0123456789ab",
                              "text": {"type": "plain_text", "text": "Approve", "emoji": true},
                              "value": "apr-0123456789ab", "style": "primary", "type": "button",
                              "action_ts": "1548426417.840180"}]}
                """.formatted(RESPONSE_URL, actionId))
                .getAsJsonObject()
                .deepCopy()
                .getAsJsonObject();
    }

    private static Optional<SlackClick> read(JsonObject payload, JsonObject message) {
        payload.add("message", message);
        return SlackClick.read(payload.toString());
    }

    /** The question message as Slack echoes it in a click on it. */
    private JsonObject echoedQuestion() {
        JsonObject message = SLACK_JSON
                .toJsonTree(SlackMessages.question(request, URI.create("https://gateway.example/approve/x")))
                .getAsJsonObject();
        message.addProperty("type", "message");
        message.addProperty("ts", "1548261231.000200");
        message.addProperty("bot_id", "BAH5CA16Z");
        return message;
    }

    @Test
    void aClickOnApproveAsSlackSendsItWithTheWholeMessageIsReadAsAnApprovalOfTheRequest() {
        Optional<SlackClick> click = read(slacksPayload(SlackMessages.APPROVE_ACTION), echoedQuestion());

        assertThat(click)
                .contains(new SlackClick(
                        "apr-0123456789ab",
                        Verdict.APPROVE,
                        "U0DANA",
                        "T0TEST",
                        Optional.of(HttpUrl.get(RESPONSE_URL))));
    }

    @Test
    void aClickOnDenyIsReadAsADenial() {
        assertThat(read(slacksPayload(SlackMessages.DENY_ACTION), echoedQuestion()))
                .map(SlackClick::verdict)
                .contains(Verdict.DENY);
    }

    @Test
    void aClickOnAnotherAppsButtonIsNoClick() {
        assertThat(read(slacksPayload("other.button"), echoedQuestion())).isEmpty();
    }

    @Test
    void anInteractionOfAnotherTypeIsNoClick() {
        JsonObject payload = slacksPayload(SlackMessages.APPROVE_ACTION);
        payload.addProperty("type", "view_submission");

        assertThat(read(payload, echoedQuestion())).isEmpty();
    }

    @Test
    void aClickWithoutUserIsNoClick() {
        JsonObject payload = slacksPayload(SlackMessages.APPROVE_ACTION);
        payload.remove("user");

        assertThat(read(payload, echoedQuestion())).isEmpty();
    }

    @Test
    void aPayloadWhoseMessageBlocksAreMalformedIsNoClick() {
        JsonObject message = echoedQuestion();
        message.getAsJsonArray("blocks").get(0).getAsJsonObject().remove("type");

        assertThat(read(slacksPayload(SlackMessages.APPROVE_ACTION), message)).isEmpty();
    }

    @Test
    void aPayloadThatIsNotJsonIsNoClick() {
        assertThat(SlackClick.read("{\"type\": \"block_actions\", \"actions\": ["))
                .isEmpty();
        assertThat(SlackClick.read("[1, 2]")).isEmpty();
        assertThat(SlackClick.read(null)).isEmpty();
    }
}
