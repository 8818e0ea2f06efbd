package dev.agentgate.e2e.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.StreamSupport;

/** The gateway's approvals API ({@code /approvals} on the admin listener) as an approver calls it: their own token. */
final class ApprovalsApi {

    /** One answer: the HTTP status and the JSON document. */
    record Answer(int status, JsonNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(40);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApprovalsApi(URI adminUrl) {
        this.base = adminUrl.resolve("/approvals");
    }

    Answer pending(String token) {
        return send(HttpRequest.newBuilder(base).GET(), token);
    }

    Answer show(String id, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + "/" + id)).GET(), token);
    }

    /** {@code verdict} is {@code approve} or {@code deny}. */
    Answer vote(String id, String verdict, String token) {
        return send(
                HttpRequest.newBuilder(URI.create(base + "/" + id + "/" + verdict))
                        .POST(HttpRequest.BodyPublishers.noBody()),
                token);
    }

    /** The id of the pending request for exactly {@code statement}, polling until it appears (40 s at most). */
    String awaitPending(String statement, String token) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode approvals = pending(token).body().path("approvals");
            var found = StreamSupport.stream(approvals.spliterator(), false)
                    .filter(approval ->
                            statement.equals(approval.path("statement").asText()))
                    .findFirst();
            if (found.isPresent()) {
                return found.get().path("id").asText();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no pending approval request for " + statement + " within " + WAIT.toSeconds() + " s");
    }

    /** Polls request {@code id} until it is in {@code state} (40 s at most). */
    void awaitState(String id, String state, String token) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        String seen = null;
        while (Instant.now().isBefore(deadline)) {
            seen = show(id, token).body().path("state").asText();
            if (state.equals(seen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "request " + id + " is " + seen + ", not " + state + ", after " + WAIT.toSeconds() + " s");
    }

    private Answer send(HttpRequest.Builder request, String token) {
        try {
            HttpResponse<String> response = http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("the approvals API at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling the approvals API", e);
        }
    }
}
