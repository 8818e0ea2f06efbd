package dev.agentgate.approval.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.util.json.GsonFactory;
import dev.agentgate.approval.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * One click on the Approve or Deny button of an approval message, as far as the vote needs it, read from Slack's
 * {@code block_actions} payload with the SDK's model. Anything else (another interaction, another button, a
 * payload without user or request id) is no click.
 */
record SlackClick(String requestId, Verdict verdict, String userId, String teamId, Optional<HttpUrl> responseUrl) {
    private static final Gson SLACK_JSON = GsonFactory.createSnakeCase();

    /** @param payload the {@code payload} form field of Slack's interaction request, read as the SDK does */
    static Optional<SlackClick> read(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        try {
            JsonElement tree = JsonParser.parseString(payload);
            // The SDK's model always answers "block_actions" for its type: the sent type is read here.
            if (!tree.isJsonObject()
                    || !BlockActionPayload.TYPE.equals(
                            string(tree.getAsJsonObject().get("type")))) {
                return Optional.empty();
            }
            return click(SLACK_JSON.fromJson(tree, BlockActionPayload.class));
        } catch (RuntimeException e) {
            // Gson and the SDK's type adapters throw assorted unchecked exceptions on malformed parts
            // (JsonParseException, ClassCastException, NullPointerException): all mean an unreadable payload.
            return Optional.empty();
        }
    }

    private static Optional<SlackClick> click(BlockActionPayload payload) {
        List<BlockActionPayload.Action> actions = payload.getActions();
        if (actions == null || actions.isEmpty() || payload.getUser() == null) {
            return Optional.empty();
        }
        BlockActionPayload.Action action = actions.get(0);
        Verdict verdict = switch (Objects.requireNonNullElse(action.getActionId(), "")) {
            case SlackMessages.APPROVE_ACTION -> Verdict.APPROVE;
            case SlackMessages.DENY_ACTION -> Verdict.DENY;
            default -> null;
        };
        String requestId = Objects.requireNonNullElse(action.getValue(), "");
        String userId = Objects.requireNonNullElse(payload.getUser().getId(), "");
        if (verdict == null || requestId.isEmpty() || userId.isEmpty()) {
            return Optional.empty();
        }
        String teamId = payload.getTeam() == null || payload.getTeam().getId() == null
                ? "?"
                : payload.getTeam().getId();
        HttpUrl responseUrl = payload.getResponseUrl() == null ? null : HttpUrl.parse(payload.getResponseUrl());
        return Optional.of(new SlackClick(requestId, verdict, userId, teamId, Optional.ofNullable(responseUrl)));
    }

    private static String string(JsonElement element) {
        return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
    }
}
