package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads closed segments to the fleet's bucket ({@code recording.s3}) on its own thread, in the order they closed.
 * A segment is acknowledged by an empty {@code <segment>.stored} file beside it, so a gateway that restarts uploads
 * what its last run had not, and retention deletes nothing not yet stored. A failed upload is retried with backoff
 * until it succeeds; meanwhile {@link #refusal()} says why (statements are refused under {@code on_failure: refuse}).
 * While idle it checks the bucket every 10 seconds, so an unreachable store is noticed before a segment waits.
 */
final class S3SegmentArchive implements SegmentArchive {

    private static final Logger log = LoggerFactory.getLogger(S3SegmentArchive.class);
    static final String STORED_SUFFIX = ".stored";
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long DRAIN_ON_CLOSE_MILLIS = 10_000;
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final S3Objects store;
    private final BucketReadiness readiness;
    private final UploadQueue queue = new UploadQueue();
    private final Thread uploader;
    private volatile boolean running = true;
    private volatile String failure;

    private S3SegmentArchive(S3Objects store) {
        this.store = store;
        this.readiness = new BucketReadiness(store);
        this.uploader = new Thread(this::uploadUntilClosed, "agentgate-recording-upload");
        this.uploader.setDaemon(true);
    }

    static S3SegmentArchive start(RecordingConfig.S3Config config) {
        S3SegmentArchive archive = new S3SegmentArchive(new S3Objects(config));
        archive.uploader.start();
        log.info("recording: closed segments are uploaded to {}", archive.store.location());
        return archive;
    }

    static boolean stored(Path segment) {
        return Files.exists(marker(segment));
    }

    private static Path marker(Path segment) {
        return segment.resolveSibling(segment.getFileName() + STORED_SUFFIX);
    }

    @Override
    public void archive(String sessionId, Path segment) {
        queue.add(sessionId, segment);
    }

    @Override
    public void catchUp(RecordingLayout layout) {
        try {
            for (String sessionId : layout.sessionIds()) {
                for (Path segment : layout.segments(sessionId)) {
                    if (!stored(segment)) {
                        archive(sessionId, segment);
                    }
                }
            }
        } catch (IOException e) {
            log.error("recording: cannot list {} for segments still to upload", layout.dir(), e);
        }
    }

    @Override
    public boolean holdsAll(List<Path> segments) {
        return segments.stream().allMatch(S3SegmentArchive::stored);
    }

    @Override
    public Optional<String> refusal() {
        return Optional.ofNullable(failure);
    }

    @Override
    public CompletableFuture<String> probeStore() {
        return readiness.probe();
    }

    private void uploadUntilClosed() {
        long backoff = FIRST_BACKOFF_MILLIS;
        long lastContact = probe() ? System.nanoTime() : 0;
        try {
            while (running) {
                queue.awaitWork(1000);
                UploadQueue.Upload next = queue.first();
                boolean ok;
                if (next != null) {
                    ok = upload(next);
                } else if (failure == null && System.nanoTime() - lastContact < IDLE_CHECK_NANOS) {
                    continue;
                } else {
                    // idle: check the bucket now and then, so statements are refused when it goes away, not only
                    // when the next segment closes
                    ok = probe();
                }
                if (ok) {
                    lastContact = System.nanoTime();
                    backoff = FIRST_BACKOFF_MILLIS;
                } else {
                    queue.pause(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    /** At close: what is still pending, for a short while; what is left is uploaded by the next start. */
    private void drain() {
        long deadline = System.currentTimeMillis() + DRAIN_ON_CLOSE_MILLIS;
        UploadQueue.Upload next;
        while (System.currentTimeMillis() < deadline && (next = queue.first()) != null) {
            if (!upload(next)) {
                break;
            }
        }
    }

    private boolean upload(UploadQueue.Upload upload) {
        Path segment = upload.segment();
        try {
            store.put(upload.sessionId(), segment.getFileName().toString(), segment);
            Files.createFile(marker(segment));
            queue.remove(upload);
            recovered();
            return true;
        } catch (NoSuchFileException gone) {
            log.warn("recording: segment {} was deleted before its upload", segment);
            queue.remove(upload);
            return true;
        } catch (FileAlreadyExistsException alreadyMarked) {
            queue.remove(upload);
            return true;
        } catch (IOException | RuntimeException e) {
            failed("cannot upload session recordings to " + e.getMessage());
            return false;
        }
    }

    private boolean probe() {
        try {
            store.probe();
            recovered();
            return true;
        } catch (IOException | RuntimeException e) {
            failed("cannot reach the session recording store " + e.getMessage());
            return false;
        }
    }

    private void failed(String why) {
        if (failure == null) {
            log.error("recording: {}; retrying (segments stay in the local spool until stored)", why);
        }
        failure = why;
    }

    private void recovered() {
        if (failure != null) {
            log.info("recording: the store {} answers again", store.location());
            failure = null;
        }
    }

    @Override
    public void close() {
        running = false;
        queue.wake();
        try {
            uploader.join(DRAIN_ON_CLOSE_MILLIS + TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (queue.size() > 0) {
            log.warn("recording: {} segment(s) not uploaded yet; the next start uploads them", queue.size());
        }
        readiness.close();
        store.close();
    }
}
