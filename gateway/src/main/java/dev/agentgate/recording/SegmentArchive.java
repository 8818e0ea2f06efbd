package dev.agentgate.recording;

import java.nio.file.Path;

/** Where closed segments go beyond the gateway's own disk (a fleet's object store). Must not block its caller. */
public interface SegmentArchive extends AutoCloseable {

    SegmentArchive NONE = (sessionId, segment) -> {};

    /** Takes a copy of {@code segment}, closed with its head; retried until it is stored or the gateway stops. */
    void archive(String sessionId, Path segment);

    @Override
    default void close() {}
}
