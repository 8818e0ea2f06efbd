package dev.agentgate.recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Where recorded segments are read from: the gateway's directory, or the object store a fleet uploads to. */
public interface SegmentSource {

    /** Every session with segments here. */
    List<String> sessionIds() throws IOException;

    /** The names of the session's segments, in order ({@code segment-000001.jsonl.gz}, ...). */
    List<String> segmentNames(String sessionId) throws IOException;

    /** The segment's compressed bytes. */
    InputStream open(String sessionId, String segmentName) throws IOException;
}
