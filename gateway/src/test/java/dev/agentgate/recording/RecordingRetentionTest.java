package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local retention of recordings without an object store ({@code recording.retention_max_age},
 * {@code recording.retention_max_bytes}): whole finished sessions, oldest first, never one still being written.
 */
class RecordingRetentionTest {

    private static final Duration ONE_HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private RecordingConfig config;
    private RecordingLayout layout;

    @BeforeEach
    void setUp() {
        config = RecordingConfig.inDirectory(dir);
        layout = new RecordingLayout(dir);
    }

    private RecordingService start() throws Exception {
        return RecordingService.start(config, "gw1", SessionIndex.NONE, SegmentArchive.NONE);
    }

    /** Records each session start to end, then dates its last segment {@code age} before now (oldest first). */
    private void recordFinished(List<String> sessionIds, List<Duration> ages) throws Exception {
        try (RecordingService service = start()) {
            for (String id : sessionIds) {
                new SessionEventsFixture(service.recorder(), id)
                        .start("alice")
                        .query("SELECT 1")
                        .end();
            }
        }
        for (int i = 0; i < sessionIds.size(); i++) {
            List<Path> segments = layout.segments(sessionIds.get(i));
            Files.setLastModifiedTime(
                    segments.get(segments.size() - 1),
                    FileTime.from(Instant.now().minus(ages.get(i))));
        }
    }

    private long bytesOf(String sessionId) throws Exception {
        long bytes = 0;
        for (Path segment : layout.segments(sessionId)) {
            bytes += Files.size(segment);
        }
        return bytes;
    }

    @Test
    void aFinishedRecordingOlderThanTheMaximumAgeIsDeletedWhole() throws Exception {
        recordFinished(List.of("gw1-0001"), List.of(Duration.ofHours(2)));

        int deleted = new RecordingRetention(layout, ONE_HOUR, 0).apply(Instant.now());

        assertThat(deleted).isEqualTo(1);
        assertThat(layout.sessionDir("gw1-0001")).doesNotExist();
    }

    @Test
    void aFinishedRecordingYoungerThanTheMaximumAgeIsKept() throws Exception {
        recordFinished(List.of("gw1-0001"), List.of(Duration.ofMinutes(30)));

        int deleted = new RecordingRetention(layout, ONE_HOUR, 0).apply(Instant.now());

        assertThat(deleted).isZero();
        assertThat(layout.segments("gw1-0001")).isNotEmpty();
    }

    @Test
    void overTheMaximumSizeTheOldestFinishedRecordingsAreDeletedUntilTheRestFit() throws Exception {
        recordFinished(
                List.of("gw1-0001", "gw1-0002", "gw1-0003"),
                List.of(Duration.ofHours(3), Duration.ofHours(2), Duration.ofHours(1)));
        long newestTwo = bytesOf("gw1-0002") + bytesOf("gw1-0003");

        int deleted = new RecordingRetention(layout, null, newestTwo).apply(Instant.now());

        assertThat(deleted).isEqualTo(1);
        assertThat(layout.sessionIds()).containsExactlyInAnyOrder("gw1-0002", "gw1-0003");
    }

    @Test
    void withinTheMaximumSizeNothingIsDeleted() throws Exception {
        recordFinished(List.of("gw1-0001", "gw1-0002"), List.of(Duration.ofHours(2), Duration.ofHours(1)));
        long all = bytesOf("gw1-0001") + bytesOf("gw1-0002");

        int deleted = new RecordingRetention(layout, null, all).apply(Instant.now());

        assertThat(deleted).isZero();
        assertThat(layout.sessionIds()).containsExactlyInAnyOrder("gw1-0001", "gw1-0002");
    }

    @Test
    void aRecordingStillBeingWrittenIsKeptHoweverOldAndLargeTheRecordingsAre() throws Exception {
        try (RecordingService service = start()) {
            new SessionEventsFixture(service.recorder(), "gw1-0001")
                    .start("alice")
                    .query("SELECT 1");
            awaitSegment("gw1-0001");

            int deleted = new RecordingRetention(layout, Duration.ofMillis(1), 1)
                    .apply(Instant.now().plus(ONE_HOUR));

            assertThat(deleted).isZero();
            assertThat(layout.segments("gw1-0001")).isNotEmpty();
        }
    }

    @Test
    void withNeitherLimitRetentionIsOff() {
        assertThat(new RecordingRetention(layout, null, 0).enabled()).isFalse();
        assertThat(new RecordingRetention(layout, ONE_HOUR, 0).enabled()).isTrue();
        assertThat(new RecordingRetention(layout, null, 1).enabled()).isTrue();
    }

    private void awaitSegment(String sessionId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (layout.segments(sessionId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no segment of " + sessionId + " was written within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
