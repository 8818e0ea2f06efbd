package dev.agentgate.recording;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Segments in the gateway's {@code recording.dir}. */
public final class LocalSegments implements SegmentSource {

    private final RecordingLayout layout;

    public LocalSegments(Path dir) {
        this.layout = new RecordingLayout(dir);
    }

    @Override
    public List<String> sessionIds() throws IOException {
        return layout.sessionIds();
    }

    @Override
    public List<String> segmentNames(String sessionId) throws IOException {
        return layout.segments(sessionId).stream()
                .map(path -> path.getFileName().toString())
                .toList();
    }

    @Override
    public InputStream open(String sessionId, String segmentName) throws IOException {
        return Files.newInputStream(layout.sessionDir(sessionId).resolve(segmentName));
    }
}
