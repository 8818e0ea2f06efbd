package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording store on a real S3 server (s3proxy over its filesystem backend). */
@Tag("integration")
class S3RecordingStoreTest {

    private static final String PREFIX = "recordings/";

    @TempDir
    Path dir;

    private S3Server s3;

    @AfterEach
    void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    private RecordingConfig.S3Config storeAt(int port) {
        return new RecordingConfig.S3Config(
                "http://127.0.0.1:" + port,
                "sessions",
                S3Server.REGION,
                S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY,
                true,
                PREFIX);
    }

    private RecordingConfig.S3Config runningStore() {
        s3 = S3Server.start(dir.resolve("s3"), "sessions");
        return storeAt(s3.port());
    }

    private RecordingConfig recording(String gateway, RecordingConfig.S3Config store) {
        return RecordingConfig.inDirectory(dir.resolve(gateway)).withS3(store).withSegmentMaxBytes(1);
    }

    private static RecordingService start(RecordingConfig config, String instance) throws Exception {
        return RecordingService.start(
                config,
                instance,
                SessionIndex.NONE,
                S3SegmentArchive.start(config.s3().orElseThrow()));
    }

    private static void recordSession(RecordingService service, String sessionId) {
        new SessionEventsFixture(service.recorder(), sessionId)
                .start("alice")
                .query("SELECT 1")
                .query("SELECT 2")
                .end();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition still false after 60s").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static VerifyReport verify(RecordingConfig config, RecordedSession session) {
        return new RecordingVerifier(SigningKey.load(config.signingKey()).verifyKey()).verify(session);
    }

    @Test
    void aFinishedSessionIsReadAndVerifiedFromTheBucketAlone() throws Exception {
        RecordingConfig config = recording("gw1", runningStore());
        try (RecordingService service = start(config, "gw1")) {
            recordSession(service, "gw1-0001");
        }

        RecordedSession session;
        try (S3Segments bucket = new S3Segments(config.s3().orElseThrow())) {
            assertThat(bucket.sessionIds()).containsExactly("gw1-0001");
            session = new RecordingReader(bucket).read("gw1-0001");
        }

        assertThat(session.statements()).extracting(RecordedStatement::sql).containsExactly("SELECT 1", "SELECT 2");
        assertThat(session.segments()).hasSizeGreaterThan(1);
        assertThat(verify(config, session).problems()).isEmpty();
    }

    @Test
    void anUploadedSegmentIsAcknowledgedBesideItsSpooledCopy() throws Exception {
        RecordingConfig config = recording("gw1", runningStore());
        try (RecordingService service = start(config, "gw1")) {
            recordSession(service, "gw1-0001");
        }

        Path segment = new RecordingLayout(config.dir()).segmentFile("gw1-0001", 1);
        assertThat(segment).exists();
        assertThat(segment.resolveSibling(segment.getFileName() + ".stored")).exists();
        assertThat(s3.objectFile(PREFIX + "gw1-0001/segment-000001.jsonl.gz")).hasSameBinaryContentAs(segment);
    }

    @Test
    void whileTheStoreIsDownStatementsAreRefusedWithWhyAndTheSpoolIsUploadedWhenItAnswers() throws Exception {
        int port = FreePorts.next();
        RecordingConfig config = recording("gw1", storeAt(port));
        try (RecordingService service = start(config, "gw1")) {
            recordSession(service, "gw1-0001");
            eventually(() -> service.health().refusal().isPresent());
            assertThat(service.health().refusal().orElseThrow())
                    .startsWith("cannot ")
                    .contains("s3://sessions/recordings/");

            s3 = S3Server.startOn(dir.resolve("s3"), "sessions", port);
            eventually(() -> service.health().refusal().isEmpty());
            eventually(() -> Files.exists(s3.objectFile(PREFIX + "gw1-0001/segment-000001.jsonl.gz")));
        }
        try (S3Segments bucket = new S3Segments(config.s3().orElseThrow())) {
            RecordedSession session = new RecordingReader(bucket).read("gw1-0001");
            assertThat(verify(config, session).problems()).isEmpty();
        }
    }

    @Test
    void aStoreThatGoesAwayIsNoticedWithoutASegmentToUploadAndForgottenWhenItIsBack() throws Exception {
        RecordingConfig config = recording("gw1", runningStore());
        try (RecordingService service = start(config, "gw1")) {
            assertThat(service.health().refusal()).isEmpty();

            s3.stop();
            eventually(() -> service.health().refusal().isPresent());
            assertThat(service.health().refusal().orElseThrow())
                    .startsWith("cannot reach the session recording store s3://sessions/recordings/");

            s3.restart();
            eventually(() -> service.health().refusal().isEmpty());
        }
    }

    @Test
    void withOnFailureContinueAStoreThatIsDownRefusesNothing() throws Exception {
        RecordingConfig config =
                recording("gw1", storeAt(FreePorts.next())).withOnFailure(RecordingConfig.OnFailure.CONTINUE);
        try (RecordingService service = start(config, "gw1")) {
            recordSession(service, "gw1-0001");
            Thread.sleep(1500); // an upload has been tried and failed by now
            assertThat(service.health().refusal()).isEmpty();
        }
    }

    @Test
    void aRestartUploadsWhatTheLastRunLeftInTheSpool() throws Exception {
        RecordingConfig config = recording("gw1", runningStore());
        try (RecordingService withoutStore =
                RecordingService.start(config, "gw1", SessionIndex.NONE, SegmentArchive.NONE)) {
            recordSession(withoutStore, "gw1-0001");
        }
        assertThat(s3.objectFile(PREFIX + "gw1-0001")).doesNotExist();

        try (RecordingService restarted = start(config, "gw1")) {
            eventually(() -> Files.exists(s3.objectFile(PREFIX + "gw1-0001/segment-000001.jsonl.gz")));
        }
    }

    @Test
    void retentionKeepsASpooledRecordingUntilTheStoreHasIt() throws Exception {
        RecordingConfig config = recording("gw1", storeAt(FreePorts.next()));
        SegmentArchive archive = S3SegmentArchive.start(config.s3().orElseThrow());
        try (RecordingService service = RecordingService.start(config, "gw1", SessionIndex.NONE, archive)) {
            recordSession(service, "gw1-0001");
        }
        RecordingLayout layout = new RecordingLayout(config.dir());

        int deleted = new RecordingRetention(layout, Duration.ofMillis(1), 0, archive)
                .apply(Instant.now().plusSeconds(3600));

        assertThat(deleted).isZero();
        assertThat(layout.segments("gw1-0001")).isNotEmpty();
    }

    @Test
    void everyGatewayReadsTheSessionsEveryOtherGatewayUploaded() throws Exception {
        RecordingConfig.S3Config store = runningStore();
        RecordingConfig gw1 = recording("gw1", store);
        RecordingConfig gw2 = recording("gw2", store);
        try (RecordingService one = start(gw1, "gw1");
                RecordingService two = start(gw2, "gw2")) {
            recordSession(one, "gw1-0001");
            recordSession(two, "gw2-0001");
        }

        SegmentSource fromGw1 = SegmentSources.of(gw1);
        assertThat(fromGw1.sessionIds()).containsExactly("gw1-0001", "gw2-0001");
        RecordedSession other = new RecordingReader(fromGw1).read("gw2-0001");
        assertThat(other.statements()).extracting(RecordedStatement::sql).containsExactly("SELECT 1", "SELECT 2");
        assertThat(verify(gw2, other).problems()).isEmpty();
    }
}
