package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads recorded sessions from a {@link SegmentSource}: the API replay, verify, what-if and the sessions page use. */
public final class RecordingReader {

    private final SegmentSource source;

    public RecordingReader(SegmentSource source) {
        this.source = source;
    }

    /**
     * The reader of the store {@code config} names (the local recordings, and the fleet's bucket when
     * {@code recording.s3} is set): where the API, the page and the CLI read recordings.
     */
    public static RecordingReader of(RecordingConfig config) {
        return new RecordingReader(SegmentSources.of(config));
    }

    public List<String> sessionIds() throws IOException {
        return source.sessionIds();
    }

    /** The session's recording as stored; a session without segments has an empty one. */
    public RecordedSession read(String sessionId) throws IOException {
        RecordingLayout.checkedSessionId(sessionId);
        List<RawSegment> segments = new ArrayList<>();
        for (String name : source.segmentNames(sessionId)) {
            try (InputStream in = source.open(sessionId, name)) {
                SegmentLines lines = SegmentLines.read(in);
                segments.add(
                        new RawSegment(RecordingLayout.segmentNumber(name), name, lines.lines(), lines.cutShort()));
            }
        }
        return new RecordedSession(sessionId, List.copyOf(segments));
    }
}
