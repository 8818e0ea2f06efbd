package dev.agentgate.approval.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Slack, as far as approvals use it, played by a real HTTP server: an incoming webhook ({@code /webhook}) and
 * interaction response URLs ({@code /response/<n>}) that record every JSON message posted to them, the Web API's
 * {@code auth.test} and {@code usergroups.users.list} for the bot token {@link #BOT_TOKEN} ({@code /api/}), and all of it can be made to
 * answer with an error status.
 */
public final class TestSlack implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String BOT_TOKEN = "xoxb-test-bot-token";

    /** One message as Slack received it. */
    public record Posted(String path, JsonNode message) {}

    private final MockWebServer server = new MockWebServer();
    private final LinkedBlockingQueue<Posted> posted = new LinkedBlockingQueue<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private volatile int failureStatus;
    private final Map<String, List<String>> userGroups = new ConcurrentHashMap<>();

    public TestSlack() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                attempts.add(path);
                if (failureStatus != 0) {
                    return new MockResponse.Builder()
                            .code(failureStatus)
                            .body("no_service")
                            .build();
                }
                if (path.equals("/api/usergroups.users.list")) {
                    return userGroupMembers(request);
                }
                if (path.equals("/api/auth.test")) { // the SDK's client asks which workspace its token is of
                    return json("{\"ok\":true,\"team_id\":\"T0TEST\",\"user_id\":\"U0BOT\"}");
                }
                try {
                    posted.add(new Posted(path, JSON.readTree(request.getBody().utf8())));
                } catch (IOException e) {
                    return new MockResponse.Builder()
                            .code(400)
                            .body("invalid_payload")
                            .build();
                }
                return new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        server.start();
    }

    private MockResponse userGroupMembers(RecordedRequest request) {
        if (!("Bearer " + BOT_TOKEN).equals(request.getHeaders().get("Authorization"))) {
            return json("{\"ok\":false,\"error\":\"invalid_auth\"}");
        }
        String group = HttpUrl.get("http://form/?" + request.getBody().utf8()).queryParameter("usergroup");
        List<String> members = userGroups.get(String.valueOf(group));
        if (members == null) {
            return json("{\"ok\":false,\"error\":\"no_such_subteam\"}");
        }
        try {
            return json(JSON.writeValueAsString(Map.of("ok", true, "users", members)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    /** The Slack user group {@code id} has these members from now on. */
    public void userGroup(String id, String... slackUserIds) {
        userGroups.put(id, List.of(slackUserIds));
    }

    /** Where the Web API is, for {@code approval.slack}'s API URL. */
    public URI api() {
        return server.url("/api/").uri();
    }

    public URI webhook() {
        return server.url("/webhook").uri();
    }

    public String responseUrl(int n) {
        return server.url("/response/" + n).toString();
    }

    /** Every later post is answered with {@code status}; 0 answers 200 again. */
    public void failWith(int status) {
        failureStatus = status;
    }

    /** The next message posted, waiting up to 40 seconds. */
    public Posted nextMessage() throws InterruptedException {
        Posted next = posted.poll(40, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("Slack received no message within 40 s");
        }
        return next;
    }

    /**
     * The next message whose JSON mentions {@code text}, skipping others (outcomes of earlier tests' requests
     * may still arrive, late, after their retries).
     */
    public Posted nextMessageAbout(String text) throws InterruptedException {
        while (true) {
            Posted next = nextMessage();
            if (next.message().toString().contains(text)) {
                return next;
            }
        }
    }

    /** Paths of every request Slack received, answered or failed. */
    public List<String> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
