package dev.agentgate.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions API on the admin listener of a real gateway (real MariaDB, real OPA, real recordings and state
 * database), asked over HTTP by auditors, by the admin key and by people who may not.
 */
class SessionsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path directory;

    private static ReviewGateway gateway;
    private static String refusedSession;
    private static String quietSession;

    @BeforeAll
    static void recordTwoSessions() throws Exception {
        gateway = ReviewGateway.start(directory, Optional.empty(), FreePorts.next());
        refusedSession = gateway.session("agent-7", "SELECT id, name FROM orders ORDER BY id", "DELETE FROM orders");
        quietSession = gateway.session("agent-9", "SELECT 1");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aRequestWithoutCredentialsIsRefusedWith401SayingWhatItNeeds() throws Exception {
        HttpResponse<String> response = get("/recordings", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .contains("an auditor's OIDC token or the admin key is required");
    }

    @Test
    void aValidTokenOfSomeoneWhoIsNotAnAuditorIsRefusedWith403() throws Exception {
        HttpResponse<String> response = get("/recordings", gateway.token("mallory", List.of("developers")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("mallory is not an auditor (review.auditors)");
    }

    @Test
    void aTokenTheIssuerDidNotSignIsRefusedWith401() throws Exception {
        assertThat(get("/recordings", "not-a-token").statusCode()).isEqualTo(401);
    }

    @Test
    void anAuditorByGroupListsTheSessionsOfOneSubject() throws Exception {
        JsonNode page = json(get("/recordings?subject=agent-7", gateway.token("erin", List.of("auditors"))));

        assertThat(page.path("count").asInt()).isEqualTo(1);
        JsonNode session = page.path("sessions").get(0);
        assertThat(session.path("session_id").asText()).isEqualTo(refusedSession);
        assertThat(session.path("subject").asText()).isEqualTo("agent-7");
        assertThat(session.path("target").asText()).isEqualTo("appdb");
        assertThat(session.path("refused").asLong()).isEqualTo(1);
    }

    @Test
    void theActionFilterFindsOnlyTheSessionWithADeniedStatement() throws Exception {
        JsonNode page = json(get("/recordings?action=deny", auditor()));

        assertThat(ids(page)).containsExactly(refusedSession);
    }

    @Test
    void theTimeFiltersLeaveOutSessionsStartedOutsideTheWindow() throws Exception {
        String future = Instant.now().plusSeconds(3600).toString();

        assertThat(ids(json(get("/recordings?since=" + future, auditor())))).isEmpty();
        assertThat(ids(json(get("/recordings?since=1h&until=" + future, auditor()))))
                .containsExactlyInAnyOrder(refusedSession, quietSession);
    }

    @Test
    void aPageLargerThanTheBoundIsRefusedWith400() throws Exception {
        HttpResponse<String> response = get("/recordings?limit=201", auditor());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("limit must be 1 to 200, was '201'");
    }

    @Test
    void theTranscriptShowsTheResultTableAsTheAgentSawItAndTheRefusedDelete() throws Exception {
        JsonNode transcript = json(get("/recordings/" + refusedSession, auditor()));

        assertThat(transcript.path("identity").path("subject").asText()).isEqualTo("agent-7");
        JsonNode select = statement(transcript, "SELECT id, name FROM orders ORDER BY id");
        assertThat(select.path("action").asText()).isEqualTo("allow");
        JsonNode table = select.path("response").get(0);
        assertThat(table.path("kind").asText()).isEqualTo("result_set");
        assertThat(table.path("columns").toString()).isEqualTo("[\"id\",\"name\"]");
        assertThat(table.path("rows").toString()).isEqualTo("[[\"1\",\"ada\"],[\"2\",null]]");
        JsonNode delete = statement(transcript, "DELETE FROM orders");
        assertThat(delete.path("action").asText()).isEqualTo("deny");
        assertThat(delete.path("outcome").asText()).isEqualTo("refused");
        assertThat(delete.path("response").get(0).path("kind").asText()).isEqualTo("error");
        assertThat(delete.path("response").get(0).path("message").asText()).contains("test: no DELETE");
    }

    @Test
    void everyTranscriptViewIsRecordedInTheStateDatabaseAndTheSiemExport() throws Exception {
        get("/recordings/" + quietSession, gateway.token("alice", List.of()));

        JsonNode playbacks = json(get("/recordings/" + quietSession + "/playbacks", auditor()))
                .path("playbacks");
        assertThat(playbacks).anySatisfy(playback -> {
            assertThat(playback.path("reviewer").path("subject").asText()).isEqualTo("alice");
            assertThat(playback.path("reviewer").path("via").asText()).isEqualTo("API");
            assertThat(playback.path("from").asText()).contains("127.0.0.1:");
        });
        assertThat(watchedLines()).anySatisfy(line -> {
            assertThat(line.path("session_id").asText()).isEqualTo(quietSession);
            assertThat(line.path("viewer").path("subject").asText()).isEqualTo("alice");
            assertThat(line.path("via").asText()).isEqualTo("api");
        });
    }

    @Test
    void theAdminKeyOpensTheApiAndItsPlaybacksAreRecordedAsTheAdminKeys() throws Exception {
        HttpResponse<String> response = get("/recordings/" + quietSession, ReviewGateway.ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode playbacks = json(get("/recordings/" + quietSession + "/playbacks", auditor()))
                .path("playbacks");
        assertThat(playbacks)
                .anySatisfy(playback -> assertThat(
                                playback.path("reviewer").path("issuer").asText())
                        .isEqualTo(Reviewer.ADMIN_KEY));
    }

    @Test
    void verifyReportsTheRecordingIntact() throws Exception {
        JsonNode report = json(get("/recordings/" + refusedSession + "/verify", auditor()));

        assertThat(report.path("intact").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("problems")).isEmpty();
    }

    @Test
    void anUnknownSessionIs404() throws Exception {
        HttpResponse<String> response = get("/recordings/gw-unknown-01", auditor());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("no recording of session gw-unknown-01");
    }

    @Test
    void aMalformedSessionIdIsRefusedWith400() throws Exception {
        HttpResponse<String> response = get("/recordings/..%2Fstate.db", auditor());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).startsWith("not a session id: ");
    }

    @Test
    void anythingButGetIsRefusedWith405() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/recordings"))
                        .header("Authorization", "Bearer " + auditor())
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    private static String auditor() {
        return gateway.token("dana", List.of());
    }

    private static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("sessions")
                .forEach(session -> ids.add(session.path("session_id").asText()));
        return ids;
    }

    private static JsonNode statement(JsonNode transcript, String sql) {
        for (JsonNode statement : transcript.path("statements")) {
            if (sql.equals(statement.path("sql").asText())) {
                return statement;
            }
        }
        throw new AssertionError("no statement '" + sql + "' in " + transcript);
    }

    /** The SIEM export's playback lines, waiting up to 10 s for its writer. */
    private static List<JsonNode> watchedLines() throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        List<JsonNode> lines = new ArrayList<>();
        while (lines.isEmpty() && Instant.now().isBefore(deadline)) {
            for (String line : Files.readAllLines(gateway.auditFile())) {
                JsonNode event = JSON.readTree(line);
                if (event.path("event").asText().equals("session_watched")) {
                    lines.add(event);
                }
            }
            if (lines.isEmpty()) {
                Thread.sleep(50);
            }
        }
        return lines;
    }
}
