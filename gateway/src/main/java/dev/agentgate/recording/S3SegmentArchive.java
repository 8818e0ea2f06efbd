package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads closed segments to the fleet's bucket ({@code recording.s3}) on its own thread, in the order they closed.
 * A segment is acknowledged by an empty {@code <segment>.stored} file beside it, so a gateway that restarts uploads
 * what its last run had not, and retention deletes nothing not yet stored. A failed upload is retried with backoff
 * until it succeeds; meanwhile {@link #refusal()} says why (statements are refused under {@code on_failure: refuse}).
 */
final class S3SegmentArchive implements SegmentArchive {

    private static final Logger log = LoggerFactory.getLogger(S3SegmentArchive.class);
    static final String STORED_SUFFIX = ".stored";
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long DRAIN_ON_CLOSE_MILLIS = 10_000;

    private final S3Objects store;
    /** Segments waiting for their upload, oldest first, with their session id. */
    private final Map<Path, String> pending = new LinkedHashMap<>();

    private final Thread uploader;
    private volatile boolean running = true;
    private volatile String failure;

    private S3SegmentArchive(S3Objects store) {
        this.store = store;
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
        synchronized (pending) {
            pending.put(segment, sessionId);
            pending.notifyAll();
        }
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

    private void uploadUntilClosed() {
        long backoff = FIRST_BACKOFF_MILLIS;
        probe();
        while (running) {
            Map.Entry<Path, String> next = nextPending();
            boolean ok = next == null ? failure == null || probe() : upload(next.getValue(), next.getKey());
            if (ok) {
                backoff = FIRST_BACKOFF_MILLIS;
                continue;
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        long deadline = System.currentTimeMillis() + DRAIN_ON_CLOSE_MILLIS;
        Map.Entry<Path, String> next;
        while (System.currentTimeMillis() < deadline && (next = firstPending()) != null) {
            if (!upload(next.getValue(), next.getKey())) {
                break;
            }
        }
    }

    /** The oldest pending segment; null after a while without any (so a failing store is probed again). */
    private Map.Entry<Path, String> nextPending() {
        synchronized (pending) {
            if (pending.isEmpty() && running) {
                try {
                    pending.wait(failure == null ? 1000 : MAX_BACKOFF_MILLIS);
                } catch (InterruptedException e) {
                    running = false;
                }
            }
            return firstPending();
        }
    }

    private Map.Entry<Path, String> firstPending() {
        synchronized (pending) {
            if (pending.isEmpty()) {
                return null;
            }
            Map.Entry<Path, String> first = pending.entrySet().iterator().next();
            return Map.entry(first.getKey(), first.getValue());
        }
    }

    private boolean upload(String sessionId, Path segment) {
        try {
            store.put(sessionId, segment.getFileName().toString(), segment);
            Files.createFile(marker(segment));
            done(segment);
            recovered();
            return true;
        } catch (NoSuchFileException gone) {
            log.warn("recording: segment {} was deleted before its upload", segment);
            done(segment);
            return true;
        } catch (FileAlreadyExistsException alreadyMarked) {
            done(segment);
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

    private void done(Path segment) {
        synchronized (pending) {
            pending.remove(segment);
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

    private void pause(long millis) {
        synchronized (pending) {
            try {
                pending.wait(millis);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    /** Uploads what is still pending for a short while; what is left is uploaded by the next start. */
    @Override
    public void close() {
        running = false;
        synchronized (pending) {
            pending.notifyAll();
        }
        try {
            uploader.join(DRAIN_ON_CLOSE_MILLIS + TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (pending) {
            if (!pending.isEmpty()) {
                log.warn("recording: {} segment(s) not uploaded yet; the next start uploads them", pending.size());
            }
        }
        store.close();
    }
}
