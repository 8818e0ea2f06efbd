package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.session.ResponseBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {

    @TempDir
    Path dir;

    private RecordingService start(RecordingConfig config) throws Exception {
        return RecordingService.start(config, "gw1", SessionIndex.NONE, SegmentArchive.NONE);
    }

    @Test
    void everyStatementOfASessionIsRecordedInOrderAndTheRecordingVerifies() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir);
        try (RecordingService service = start(config)) {
            new SessionEventsFixture(service.recorder(), "gw1-0001")
                    .start("alice")
                    .query("SELECT 1")
                    .query("SELECT 2")
                    .end();
        }
        RecordedSession session = new RecordingReader(new LocalSegments(dir)).read("gw1-0001");

        assertThat(session.statements()).extracting(RecordedStatement::sql).containsExactly("SELECT 1", "SELECT 2");
        assertThat(new String(session.statements().get(1).response().get(0), StandardCharsets.UTF_8))
                .isEqualTo("ok SELECT 2");
        VerifyReport report = verifier(config).verify(session);
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(4);
    }

    @Test
    void responseBytesBeyondMaxResultBytesAreCountedNotKept() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir).withMaxResultBytes(10);
        try (RecordingService service = start(config)) {
            new SessionEventsFixture(service.recorder(), "gw1-0002")
                    .start("alice")
                    .query("SELECT big", List.of(new byte[6], new byte[4], new byte[5], new byte[7]))
                    .end();
        }
        RecordedStatement statement = new RecordingReader(new LocalSegments(dir))
                .read("gw1-0002")
                .statements()
                .get(0);

        assertThat(statement.response()).hasSize(2);
        assertThat(statement.cutPackets()).isEqualTo(2);
        assertThat(statement.cutBytes()).isEqualTo(12);
    }

    @Test
    void whatTheSessionCutIsRecordedTogetherWithWhatTheRecorderCutItself() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir).withMaxResultBytes(10);
        try (RecordingService service = start(config)) {
            new SessionEventsFixture(service.recorder(), "gw1-0006")
                    .start("alice")
                    .query("SELECT big", List.of(new byte[6], new byte[5]), new ResponseBudget.Cut(1000, 9000))
                    .end();
        }
        RecordedStatement statement = new RecordingReader(new LocalSegments(dir))
                .read("gw1-0006")
                .statements()
                .get(0);

        assertThat(statement.response()).hasSize(1);
        assertThat(statement.cutPackets()).isEqualTo(1001);
        assertThat(statement.cutBytes()).isEqualTo(9005);
    }

    @Test
    void aLongSessionIsRotatedIntoSegmentsThatTogetherVerify() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir).withSegmentMaxBytes(1);
        try (RecordingService service = start(config)) {
            SessionEventsFixture session = new SessionEventsFixture(service.recorder(), "gw1-0003").start("alice");
            for (int i = 0; i < 5; i++) {
                session.query("SELECT " + i);
                Thread.sleep(20); // each batch committed, so each statement sees its segment's size
            }
            session.end();
        }
        RecordedSession session = new RecordingReader(new LocalSegments(dir)).read("gw1-0003");

        assertThat(session.segments().size()).isGreaterThan(2);
        assertThat(verifier(config).verify(session).problems()).isEmpty();
    }

    @Test
    void aRecordingLeftOpenByACrashIsClosedAtTheNextStartAndSaysSo() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir);
        RecordingService crashed = start(config);
        new SessionEventsFixture(crashed.recorder(), "gw1-0004").start("alice").query("SELECT 1");
        Thread.sleep(200); // committed, but the session never ends and the segment never gets its head
        try (RecordingService restarted = start(config)) {
            RecordedSession session = new RecordingReader(new LocalSegments(dir)).read("gw1-0004");

            assertThat(session.records())
                    .extracting(record -> record.path("type").asText())
                    .containsExactly("session_start", "statement", "recording_interrupted");
            VerifyReport report = verifier(config).verify(session);
            assertThat(report.problems()).isEmpty();
            assertThat(report.notes()).isNotEmpty();
        }
    }

    @Test
    void anApprovalIsRecordedWithItsStatementsRequestIdOutcomeAndApprovers() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir);
        try (RecordingService service = start(config)) {
            new SessionEventsFixture(service.recorder(), "gw1-0005")
                    .start("alice")
                    .approvedQuery("DELETE FROM orders WHERE id = 7", "req-42", List.of("https://issuer.test|bob"))
                    .end();
        }
        RecordedSession session = new RecordingReader(new LocalSegments(dir)).read("gw1-0005");
        com.fasterxml.jackson.databind.JsonNode approval = session.records().stream()
                .filter(record -> "statement".equals(record.path("type").asText()))
                .findFirst()
                .orElseThrow()
                .path("approval");

        assertThat(approval.path("request_id").asText()).isEqualTo("req-42");
        assertThat(approval.path("outcome").asText()).isEqualTo("approved");
        assertThat(approval.path("approvers").toString()).isEqualTo("[\"https://issuer.test|bob\"]");
    }

    static RecordingVerifier verifier(RecordingConfig config) {
        return new RecordingVerifier(SigningKey.load(config.signingKey()).verifyKey());
    }
}
