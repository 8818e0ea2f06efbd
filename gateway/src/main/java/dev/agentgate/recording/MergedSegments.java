package dev.agentgate.recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The fleet's store and this gateway's directory read as one: a session is there when either has it, and a segment
 * is read from the local spool when it is there (the open segment of a session this gateway still records is only
 * there), else from the store.
 */
public final class MergedSegments implements SegmentSource, AutoCloseable {

    private final LocalSegments local;
    private final S3Segments remote;

    public MergedSegments(LocalSegments local, S3Segments remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public List<String> sessionIds() throws IOException {
        TreeSet<String> ids = new TreeSet<>(remote.sessionIds());
        ids.addAll(local.sessionIds());
        return new ArrayList<>(ids);
    }

    @Override
    public List<String> segmentNames(String sessionId) throws IOException {
        TreeSet<String> names = new TreeSet<>(remote.segmentNames(sessionId));
        names.addAll(local.segmentNames(sessionId));
        return new ArrayList<>(names);
    }

    @Override
    public InputStream open(String sessionId, String segmentName) throws IOException {
        if (local.segmentNames(sessionId).contains(segmentName)) {
            return local.open(sessionId, segmentName);
        }
        return remote.open(sessionId, segmentName);
    }

    @Override
    public void close() {
        remote.close();
    }
}
