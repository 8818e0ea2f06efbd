package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.session.SessionEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session waiting for a command's records to be durable ({@link Recorder#onDurably}) is told kept only once the
 * batch holding them is on disk; told not kept, with why, when the store fails, when the queue lost the command's
 * events, or when the store is slower than {@code recording.durable_within} (the recorder then counts as behind).
 * The slow store is the real writer whose thread is stuck in the session index.
 */
class RecorderDurabilityTest {

    private static final long TIMEOUT_S = 10;

    @TempDir
    Path dir;

    private final CountDownLatch storeStuck = new CountDownLatch(1);
    private final SavedSummaries index = new SavedSummaries();
    private Recorder recorder;

    @AfterEach
    void stop() {
        storeStuck.countDown();
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void aCommandIsToldKeptOnceItsRecordIsOnDisk() throws Exception {
        recorder = recorder(RecordingConfig.inDirectory(dir), Runnable::run);
        recorder.start();
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-kept").start("alice");
        session.query("SELECT 'kept'");

        assertThat(outcome(1, "gw1-kept").get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(recordedSql("gw1-kept")).as("read back as soon as kept").isEqualTo("SELECT 'kept'");
    }

    @Test
    void aCommandIsNotToldKeptWhileTheStoreIsStuck() throws Exception {
        recorder = recorder(RecordingConfig.inDirectory(dir), this::stuckUntilReleased);
        recorder.start();
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-slow").start("alice");
        session.query("SELECT 'slow'");
        CompletableFuture<String> told = outcome(1, "gw1-slow");

        Thread.sleep(500);
        assertThat(told).isNotDone();

        storeStuck.countDown();
        assertThat(told.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(recordedSql("gw1-slow")).isEqualTo("SELECT 'slow'");
    }

    @Test
    void aCommandNotDurableWithinDurableWithinIsToldNotKeptAndTheRecorderIsBehind() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir).withDurableWithin(Duration.ofMillis(200));
        recorder = recorder(config, this::stuckUntilReleased);
        recorder.start();
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-late").start("alice");
        session.query("SELECT 'late'");

        assertThat(outcome(1, "gw1-late").get(TIMEOUT_S, TimeUnit.SECONDS))
                .isEqualTo("not kept: the statement's record was not durable within 200 ms (recording.durable_within)");
        assertThat(recorder.refusal()).contains("the session recorder is behind");
    }

    @Test
    void aSessionWithACommandNotDurableInTimeIsListedIncompleteOnceTheStoreTookItsRecords() throws Exception {
        RecordingConfig config = RecordingConfig.inDirectory(dir).withDurableWithin(Duration.ofMillis(200));
        recorder = recorder(config, this::stuckUntilReleased, index);
        recorder.start();
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-late").start("alice");
        session.query("SELECT 'late'");
        outcome(1, "gw1-late").get(TIMEOUT_S, TimeUnit.SECONDS);

        storeStuck.countDown();

        assertThat(index.statusWithin("gw1-late", SessionSummary.INCOMPLETE, Duration.ofSeconds(TIMEOUT_S)))
                .isEqualTo(SessionSummary.INCOMPLETE);
    }

    @Test
    void aCommandWhoseEventsTheFullQueueLostIsToldNotKeptAtOnce() throws Exception {
        RecordingConfig defaults = RecordingConfig.inDirectory(dir);
        RecordingConfig tiny = new RecordingConfig(
                true,
                dir,
                defaults.maxResultBytes(),
                defaults.onFailure(),
                defaults.segmentMaxBytes(),
                defaults.segmentMaxAge(),
                null,
                0,
                defaults.signingKey(),
                2,
                defaults.s3());
        recorder = recorder(tiny, Runnable::run);
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-full").start("alice");
        session.query("SELECT 'lost'");

        assertThat(outcome(1, "gw1-full").get(TIMEOUT_S, TimeUnit.SECONDS))
                .isEqualTo("not kept: the session recorder is behind: events of this statement were not recorded");
    }

    @Test
    void aCommandWhoseRecordCannotBeWrittenIsToldNotKeptWithTheStoreFailure() throws Exception {
        recorder =
                recorder(RecordingConfig.inDirectory(dir.resolve("recordings")).withSegmentMaxBytes(1), Runnable::run);
        recorder.start();
        SessionEventsFixture session = new SessionEventsFixture(recorder, "gw1-broken").start("alice");
        session.query("SELECT 'first'");
        assertThat(outcome(1, "gw1-broken").get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("kept");
        Files.move(dir.resolve("recordings"), dir.resolve("recordings.away"));
        Files.writeString(dir.resolve("recordings"), "not a directory");

        session.query("SELECT 'unwritable'");

        assertThat(outcome(2, "gw1-broken").get(TIMEOUT_S, TimeUnit.SECONDS))
                .startsWith("not kept: cannot write session recordings to ");
    }

    private CompletableFuture<String> outcome(long commandNo, String sessionId) {
        CompletableFuture<String> told = new CompletableFuture<>();
        Executor sessionThread = Runnable::run;
        recorder.onDurably(sessionId, commandNo, sessionThread, new SessionEvents.Durability() {
            @Override
            public void kept() {
                told.complete("kept");
            }

            @Override
            public void notKept(String why) {
                told.complete("not kept: " + why);
            }
        });
        return told;
    }

    /** The sql of the session's only statement as the segment on disk holds it now (open, cut short). */
    private String recordedSql(String sessionId) throws Exception {
        RecordedSession session = new RecordingReader(new LocalSegments(dir)).read(sessionId);
        assertThat(session.statements()).hasSize(1);
        return session.statements().get(0).sql();
    }

    /** The session index's updates, which the writer thread hands over: stuck until the test ends. */
    private void stuckUntilReleased(Runnable update) {
        try {
            storeStuck.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        update.run();
    }

    private static Recorder recorder(RecordingConfig config, Executor indexUpdates) throws Exception {
        return recorder(config, indexUpdates, SessionIndex.NONE);
    }

    private static Recorder recorder(RecordingConfig config, Executor indexUpdates, SessionIndex index)
            throws Exception {
        Files.createDirectories(config.dir());
        RecordingWriter writer = new RecordingWriter(
                new RecordingLayout(config.dir()),
                SigningKey.loadOrGenerate(config.signingKey()),
                config.segmentMaxBytes(),
                config.segmentMaxAge().toNanos(),
                segment -> {},
                index,
                indexUpdates);
        return new Recorder(config, writer);
    }

    /** The summaries the writer saved, latest per session. */
    private static final class SavedSummaries implements SessionIndex {
        private final java.util.Map<String, SessionSummary> saved = new java.util.HashMap<>();

        @Override
        public synchronized void save(SessionSummary session) {
            saved.put(session.sessionId(), session);
            notifyAll();
        }

        @Override
        public synchronized java.util.List<SessionSummary> list(Query query) {
            return java.util.List.copyOf(saved.values());
        }

        @Override
        public synchronized java.util.Optional<SessionSummary> find(String sessionId) {
            return java.util.Optional.ofNullable(saved.get(sessionId));
        }

        /** The session's status once it is {@code status}, or as it is when {@code limit} passed. */
        synchronized String statusWithin(String sessionId, String status, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (find(sessionId)
                            .map(SessionSummary::status)
                            .filter(status::equals)
                            .isEmpty()
                    && System.nanoTime() < deadline) {
                wait(50);
            }
            return find(sessionId).map(SessionSummary::status).orElse(null);
        }
    }
}
