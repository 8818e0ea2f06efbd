package dev.agentgate.recording;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Closed segments waiting for their upload, oldest first, each with its session id: filled by the recorder's writer
 * (and a restart's catch-up), emptied by the uploader, which waits on it for work or for its next retry.
 */
final class UploadQueue {

    /** One segment to upload. */
    record Upload(String sessionId, Path segment) {}

    private final Map<Path, String> pending = new LinkedHashMap<>();

    synchronized void add(String sessionId, Path segment) {
        pending.put(segment, sessionId);
        notifyAll();
    }

    /** The oldest segment still to upload, null when there is none. */
    synchronized Upload first() {
        if (pending.isEmpty()) {
            return null;
        }
        Map.Entry<Path, String> first = pending.entrySet().iterator().next();
        return new Upload(first.getValue(), first.getKey());
    }

    synchronized void remove(Upload upload) {
        pending.remove(upload.segment());
    }

    synchronized int size() {
        return pending.size();
    }

    /** Waits up to {@code millis} for a segment to arrive, returning at once when one is waiting. */
    synchronized void awaitWork(long millis) throws InterruptedException {
        if (pending.isEmpty()) {
            wait(millis);
        }
    }

    /** Waits {@code millis} (a retry's backoff), or less when {@link #wake()} is called. */
    synchronized void pause(long millis) throws InterruptedException {
        wait(millis);
    }

    synchronized void wake() {
        notifyAll();
    }
}
