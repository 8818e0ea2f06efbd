package dev.agentgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the {@code recording} section; present means on unless {@code enabled: false}. */
final class RecordingSectionReader {
    private RecordingSectionReader() {}

    static RecordingConfig recording(ConfigNode root) {
        if (!root.has("recording")) {
            return RecordingConfig.disabled();
        }
        ConfigNode recording = root.section("recording");
        recording.rejectUnknownKeys(List.of(
                "enabled",
                "dir",
                "max_result_bytes",
                "on_failure",
                "segment_max_bytes",
                "segment_max_age",
                "retention_max_age",
                "retention_max_bytes",
                "signing_key",
                "queue_capacity",
                "s3"));
        Path dir = recording
                .path("dir")
                .orElseGet(() -> root.path("data_dir")
                        .map(dataDir -> dataDir.resolve("recordings"))
                        .orElseGet(() -> root.resolvePath("recordings")));
        return new RecordingConfig(
                recording.bool("enabled", true),
                dir,
                maxResultBytes(recording),
                RecordingConfig.OnFailure.valueOf(recording
                        .choice("on_failure", "refuse", List.of("refuse", "continue"))
                        .toUpperCase(Locale.ROOT)),
                positiveSize(recording, "segment_max_bytes", RecordingConfig.DEFAULT_SEGMENT_MAX_BYTES),
                recording.positiveDuration("segment_max_age", RecordingConfig.DEFAULT_SEGMENT_MAX_AGE),
                recording.optionalString("retention_max_age").isPresent()
                        ? recording.positiveDuration("retention_max_age", null)
                        : null,
                recording.byteSize("retention_max_bytes", 0),
                recording.path("signing_key").orElse(dir.resolve("signing-key.pem")),
                recording.positiveInt("queue_capacity", RecordingConfig.DEFAULT_QUEUE_CAPACITY),
                s3(recording));
    }

    private static int maxResultBytes(ConfigNode recording) {
        long bytes = recording.byteSize("max_result_bytes", RecordingConfig.DEFAULT_MAX_RESULT_BYTES);
        if (bytes > Integer.MAX_VALUE) {
            throw recording.error("max_result_bytes", "must be at most 2GiB, was " + bytes);
        }
        return (int) bytes;
    }

    private static long positiveSize(ConfigNode recording, String key, long defaultValue) {
        long bytes = recording.byteSize(key, defaultValue);
        if (bytes <= 0) {
            throw recording.error(key, "must be positive, was " + bytes);
        }
        return bytes;
    }

    private static Optional<RecordingConfig.S3Config> s3(ConfigNode recording) {
        return recording.optionalSection("s3").map(s3 -> {
            s3.rejectUnknownKeys(
                    List.of("endpoint", "bucket", "region", "access_key", "secret_key", "path_style", "prefix"));
            return new RecordingConfig.S3Config(
                    s3.optionalString("endpoint").orElse(null),
                    s3.requiredString("bucket"),
                    s3.string("region", "us-east-1"),
                    s3.secret("access_key").orElse(null),
                    s3.secret("secret_key").orElse(null),
                    s3.bool("path_style", false),
                    s3.string("prefix", ""));
        });
    }
}
