package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.config.RecordingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder that cannot keep up: its writer has not taken anything yet, so its queue of 4 events fills. With {@code
 * refuse} it asks for statements to be refused until the writer caught up; with {@code continue} it does not, and
 * the recording records the events it lost as a gap, which verify notes.
 */
class RecorderBehindTest {

    @TempDir
    Path dir;

    @Test
    void withRefuseARecorderWhoseQueueIsFullRefusesUntilItsWriterCaughtUp() throws Exception {
        Recorder recorder = recorder(RecordingConfig.OnFailure.REFUSE);
        fillTheQueue(recorder);

        assertThat(recorder.refusal()).contains("the session recorder is behind");

        recorder.start();
        try {
            assertThat(refusalWithin(recorder, Duration.ofSeconds(10))).isEmpty();
        } finally {
            recorder.close();
        }
    }

    @Test
    void withContinueARecorderWhoseQueueIsFullRefusesNothingAndRecordsTheGap() throws Exception {
        Recorder recorder = recorder(RecordingConfig.OnFailure.CONTINUE);
        fillTheQueue(recorder);

        assertThat(recorder.refusal()).isEmpty();

        recorder.start();
        recorder.close();
        RecordedSession session = new RecordingReader(new LocalSegments(dir)).read("gw1-behind");
        List<JsonNode> gaps = session.records().stream()
                .filter(record -> "gap".equals(record.path("type").asText()))
                .toList();
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).path("lost_events").asLong()).isPositive();
        VerifyReport report = RecorderTest.verifier(config(RecordingConfig.OnFailure.CONTINUE))
                .verify(session);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes())
                .extracting(VerifyReport.Finding::toString)
                .anySatisfy(note -> assertThat(note).contains("event(s) before this record were not recorded"));
    }

    @Test
    void aSessionWhoseEndOverflowedTheQueueEndsItsRecordingAfterEverythingQueuedBeforeAndVerifies() throws Exception {
        // more than the writer takes in one batch, so the queue still holds the session's statements after one
        Recorder recorder = recorder(RecordingConfig.OnFailure.CONTINUE, 3000);
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-overflowed").start("alice");
        for (int i = 0; i < 1200; i++) {
            session.query("SELECT " + i);
        }
        session.end();

        recorder.start();
        recorder.close();
        RecordedSession recorded = new RecordingReader(new LocalSegments(dir)).read("gw1-overflowed");
        List<JsonNode> records = recorded.records();

        assertThat(recorded.segments()).hasSize(1);
        assertThat(records.get(0).path("type").asText()).isEqualTo("session_start");
        assertThat(records.get(records.size() - 1).path("type").asText()).isEqualTo("session_end");
        // the queue's 3000 events: the start, 999 statements and the next one's command and response, unfinished
        assertThat(recorded.statements()).hasSize(1000);
        assertThat(recorded.statements().get(999).outcome()).isEqualTo("unfinished");
        assertThat(records)
                .filteredOn(record -> "gap".equals(record.path("type").asText()))
                .singleElement()
                .satisfies(gap -> assertThat(gap.path("lost_events").asLong()).isEqualTo(3 * 1200 + 1 - 3000));
        VerifyReport report = RecorderTest.verifier(config(RecordingConfig.OnFailure.CONTINUE, 3000))
                .verify(recorded);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes())
                .extracting(VerifyReport.Finding::toString)
                .singleElement()
                .satisfies(note -> assertThat(note).contains("event(s) before this record were not recorded"));
    }

    /** Far more events than the queue holds: a start, ten statements of three events each, an end. */
    private static void fillTheQueue(Recorder recorder) {
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-behind").start("alice");
        for (int i = 0; i < 10; i++) {
            session.query("SELECT " + i);
        }
        session.end();
    }

    private Recorder recorder(RecordingConfig.OnFailure onFailure) throws Exception {
        return recorder(onFailure, 4);
    }

    private Recorder recorder(RecordingConfig.OnFailure onFailure, int queueCapacity) throws Exception {
        RecordingConfig config = config(onFailure, queueCapacity);
        Executor inline = Runnable::run;
        RecordingWriter writer = new RecordingWriter(
                new RecordingLayout(dir),
                SigningKey.loadOrGenerate(config.signingKey()),
                config.segmentMaxBytes(),
                config.segmentMaxAge().toNanos(),
                segment -> {},
                SessionIndex.NONE,
                inline);
        return new Recorder(config, writer);
    }

    private RecordingConfig config(RecordingConfig.OnFailure onFailure) {
        return config(onFailure, 4);
    }

    private RecordingConfig config(RecordingConfig.OnFailure onFailure, int queueCapacity) {
        RecordingConfig defaults = RecordingConfig.inDirectory(dir).withOnFailure(onFailure);
        return new RecordingConfig(
                defaults.enabled(),
                defaults.dir(),
                defaults.maxResultBytes(),
                defaults.onFailure(),
                defaults.segmentMaxBytes(),
                defaults.segmentMaxAge(),
                defaults.retentionMaxAge(),
                defaults.retentionMaxBytes(),
                defaults.signingKey(),
                queueCapacity,
                defaults.s3());
    }

    private static Optional<String> refusalWithin(Recorder recorder, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (recorder.refusal().isPresent() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        return recorder.refusal();
    }
}
