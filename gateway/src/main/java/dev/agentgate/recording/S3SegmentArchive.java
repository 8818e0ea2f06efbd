package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;

/** Placeholder replaced below. */
final class S3SegmentArchive {
    private S3SegmentArchive() {}

    static SegmentArchive start(RecordingConfig.S3Config config) {
        throw new UnsupportedOperationException("recording.s3 is not available in this build");
    }
}
