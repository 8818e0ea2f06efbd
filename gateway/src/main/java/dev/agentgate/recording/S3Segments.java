package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Segments in the fleet's bucket: every gateway's sealed segments, readable from any of them. */
public final class S3Segments implements SegmentSource, AutoCloseable {

    private final S3Objects store;

    public S3Segments(RecordingConfig.S3Config config) {
        this.store = new S3Objects(config);
    }

    @Override
    public List<String> sessionIds() throws IOException {
        return store.sessionIds();
    }

    @Override
    public List<String> segmentNames(String sessionId) throws IOException {
        return store.segmentNames(sessionId);
    }

    @Override
    public InputStream open(String sessionId, String segmentName) throws IOException {
        return store.open(sessionId, segmentName);
    }

    /** Fails with the store's own words unless the bucket can be reached with the configured credentials. */
    public void probe() throws IOException {
        store.probe();
    }

    @Override
    public void close() {
        store.close();
    }
}
