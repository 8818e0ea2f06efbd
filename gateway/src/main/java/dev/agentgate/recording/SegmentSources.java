package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;

/** Where a gateway's configuration says recordings are read from. */
public final class SegmentSources {
    private SegmentSources() {}

    /** The local directory, merged with the fleet's bucket when {@code recording.s3} is set. */
    public static SegmentSource of(RecordingConfig config) {
        LocalSegments local = new LocalSegments(config.dir());
        return config.s3().isPresent()
                ? new MergedSegments(local, new S3Segments(config.s3().get()))
                : local;
    }
}
