package dev.agentgate.approval.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Clicks on the buttons of an approval message as Slack sends them to a gateway's interactivity URL: the
 * {@code block_actions} form, signed with the app's signing secret, its response URL one of {@link TestSlack}'s.
 */
public final class SlackClicks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI interactivity;
    private final SlackSignature.Generator signer;
    private final TestSlack slack;

    /** @param adminUrl the gateway's admin listener, where {@link SlackInteractivityRoute#PATH} is served */
    public SlackClicks(URI adminUrl, String signingSecret, TestSlack slack) {
        this.interactivity = URI.create(adminUrl + SlackInteractivityRoute.PATH);
        this.signer = new SlackSignature.Generator(signingSecret);
        this.slack = slack;
    }

    /** A click by Slack user {@code user} on button {@code action} of request {@code requestId}, signed now. */
    public HttpResponse<String> click(String user, String action, String requestId, int responseUrl)
            throws IOException, InterruptedException {
        return click(user, action, requestId, responseUrl, Instant.now());
    }

    /** The same, signed with the timestamp {@code at}. */
    public HttpResponse<String> click(String user, String action, String requestId, int responseUrl, Instant at)
            throws IOException, InterruptedException {
        String body = form(user, action, requestId, responseUrl);
        String timestamp = String.valueOf(at.getEpochSecond());
        return post(body, timestamp, signer.generate(timestamp, body));
    }

    /** Posts {@code body} with the given Slack timestamp and signature headers, whatever they are. */
    public HttpResponse<String> post(String body, String timestamp, String signature)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(interactivity)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The form Slack posts for a click on a button of an approval message. */
    public String form(String user, String action, String requestId, int responseUrl) throws JsonProcessingException {
        Map<String, Object> payload = Map.of(
                "type", "block_actions",
                "user", Map.of("id", user, "username", user.toLowerCase()),
                "team", Map.of("id", "T0TEST"),
                "response_url", slack.responseUrl(responseUrl),
                "actions", List.of(Map.of("action_id", action, "value", requestId, "type", "button")));
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
    }

    /** The signature Slack would send for {@code body} at {@code timestamp}. */
    public String signature(String timestamp, String body) {
        return signer.generate(timestamp, body);
    }
}
