package dev.agentgate.recording;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where closed segments go beyond the gateway's own disk (a fleet's object store). Must not block its caller. The
 * local segment is the spool: it stays until the archive has acknowledged its copy.
 */
public interface SegmentArchive extends RecordingHealth, AutoCloseable {

    SegmentArchive NONE = (sessionId, segment) -> {};

    /** Takes a copy of {@code segment}, closed with its head; retried until it is stored or the gateway stops. */
    void archive(String sessionId, Path segment);

    /** Takes every segment in {@code layout} that an earlier run left without an acknowledged copy. */
    default void catchUp(RecordingLayout layout) {}

    /** Whether every one of these local segments has an acknowledged copy, so deleting them loses nothing. */
    default boolean holdsAll(List<Path> segments) {
        return true;
    }

    /** Why statements should be refused because of the archive (it cannot store); empty while it can. */
    @Override
    default Optional<String> refusal() {
        return Optional.empty();
    }

    /** For readiness: completes once the archive's store answers, fails saying why it does not; never blocks. */
    default CompletableFuture<String> probeStore() {
        return CompletableFuture.completedFuture("no store beyond the local disk");
    }

    @Override
    default void close() {}
}
