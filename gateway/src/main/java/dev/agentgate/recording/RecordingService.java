package dev.agentgate.recording;

import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.state.StateDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session recording as the gateway runs it: the {@link Recorder} (its sink and its health), the session index it
 * keeps up to date, the archive closed segments are uploaded to, and retention. Started before the listener, so no
 * session goes unrecorded; closed after the sessions ended, so their ends are recorded.
 */
public final class RecordingService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

    private final RecordingConfig config;
    private final Recorder recorder;
    private final ExecutorService indexUpdates;
    private final ScheduledExecutorService housekeeping;
    private final SessionIndex index;
    private final SegmentArchive archive;

    private RecordingService(
            RecordingConfig config,
            Recorder recorder,
            ExecutorService indexUpdates,
            ScheduledExecutorService housekeeping,
            SessionIndex index,
            SegmentArchive archive) {
        this.config = config;
        this.recorder = recorder;
        this.indexUpdates = indexUpdates;
        this.housekeeping = housekeeping;
        this.index = index;
        this.archive = archive;
    }

    /**
     * The recording of a gateway as configured: sessions listed in the state database, closed segments uploaded to
     * {@code recording.s3} when set.
     */
    public static RecordingService forGateway(GatewayConfig config, StateDatabase state) throws IOException {
        RecordingConfig recording = config.recording();
        SegmentArchive archive = recording.s3().isPresent()
                ? S3SegmentArchive.start(recording.s3().get())
                : SegmentArchive.NONE;
        return start(recording, config.instanceId(), new StateSessionIndex(state), archive);
    }

    /**
     * Recovers what a previous run of this instance left open, then starts recording.
     *
     * @param index where sessions are listed (the state database's, or {@link RecordingIndexes})
     * @param archive where closed segments are copied, {@link SegmentArchive#NONE} for none
     */
    public static RecordingService start(
            RecordingConfig config, String instanceId, SessionIndex index, SegmentArchive archive) throws IOException {
        RecordingLayout layout = new RecordingLayout(config.dir());
        Files.createDirectories(config.dir());
        SigningKey key = SigningKey.loadOrGenerate(config.signingKey());
        java.util.function.Consumer<Path> closed =
                segment -> archive.archive(segment.getParent().getFileName().toString(), segment);
        for (SessionSummary recovered : RecordingRecovery.closeInterrupted(layout, instanceId, key, closed)) {
            index.save(recovered);
        }
        archive.catchUp(layout);
        ExecutorService indexUpdates = Executors.newSingleThreadExecutor(daemon("agentgate-session-index"));
        RecordingWriter writer = new RecordingWriter(
                layout, key, config.segmentMaxBytes(), config.segmentMaxAge().toNanos(), closed, index, indexUpdates);
        Recorder recorder = new Recorder(config, writer);
        recorder.start();
        ScheduledExecutorService housekeeping =
                Executors.newSingleThreadScheduledExecutor(daemon("agentgate-recording-retention"));
        RecordingRetention retention =
                new RecordingRetention(layout, config.retentionMaxAge(), config.retentionMaxBytes(), archive);
        if (retention.enabled()) {
            housekeeping.scheduleWithFixedDelay(
                    () -> {
                        try {
                            retention.apply(Instant.now());
                        } catch (IOException | RuntimeException e) {
                            log.warn("recording retention failed: {}", e.toString());
                        }
                    },
                    1,
                    60,
                    TimeUnit.SECONDS);
        }
        log.info(
                "recording sessions to {} (on_failure {}, max_result_bytes {})",
                config.dir(),
                config.onFailure().name().toLowerCase(java.util.Locale.ROOT),
                config.maxResultBytes());
        return new RecordingService(config, recorder, indexUpdates, housekeeping, index, archive);
    }

    /**
     * Whether statements may run as far as recording goes: the recorder keeps up and writes, and the archive (when
     * there is one) stores; under {@code on_failure: continue} always.
     */
    public RecordingHealth health() {
        if (config.onFailure() == RecordingConfig.OnFailure.CONTINUE) {
            return RecordingHealth.ALWAYS;
        }
        return () -> recorder.refusal().or(archive::refusal);
    }

    /**
     * For readiness: completes once a file can be created and removed in {@code recording.dir} and the recorder's last
     * commit succeeded; fails saying which is not so. Runs on the housekeeping thread: disk work never runs on the
     * caller's.
     */
    public CompletableFuture<String> probeStore() {
        Path dir = recorder.directory();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Files.delete(Files.createTempFile(dir, ".ready-", ".probe"));
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException("cannot write session recordings to " + dir + ": " + e, e);
                    }
                    recorder.storeFailure().ifPresent(failure -> {
                        throw new IllegalStateException(failure);
                    });
                    return "writable: " + dir;
                },
                housekeeping);
    }

    /**
     * For readiness: completes once the bucket of {@code recording.s3} answers a HeadBucket (an answer is reused for a
     * few seconds); fails saying why it does not. Never blocks the caller.
     */
    public CompletableFuture<String> probeArchive() {
        return archive.probeStore();
    }

    /** The sink every session event passes. */
    public Recorder recorder() {
        return recorder;
    }

    public SessionIndex index() {
        return index;
    }

    @Override
    public void close() {
        recorder.close();
        housekeeping.shutdownNow();
        indexUpdates.shutdown();
        try {
            indexUpdates.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        archive.close();
        index.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
