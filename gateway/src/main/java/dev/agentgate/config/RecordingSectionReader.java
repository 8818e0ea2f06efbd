package dev.agentgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the {@code recording} section; present means on unless {@code enabled: false}. */
final class RecordingSectionReader {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

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
                "s3",
                "durable_within"));
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
                s3(recording),
                recording.positiveDuration("durable_within", RecordingConfig.DEFAULT_DURABLE_WITHIN));
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
            Optional<String> accessKey = s3.secret("access_key").filter(key -> !key.isEmpty());
            Optional<String> secretKey = s3.secret("secret_key").filter(key -> !key.isEmpty());
            if (accessKey.isPresent() != secretKey.isPresent()) {
                throw s3.error(
                        accessKey.isPresent() ? "secret_key" : "access_key",
                        "is required with " + (accessKey.isPresent() ? "access_key" : "secret_key")
                                + " (or leave both out for the AWS default chain: AWS_ACCESS_KEY_ID, ~/.aws/credentials)");
            }
            return new RecordingConfig.S3Config(
                    s3.optionalString("endpoint")
                            .map(endpoint -> endpoint(s3, endpoint))
                            .orElse(null),
                    bucket(s3),
                    s3.string("region", "us-east-1"),
                    accessKey.orElse(null),
                    secretKey.orElse(null),
                    s3.bool("path_style", false),
                    s3.string("prefix", ""));
        });
    }

    private static String endpoint(ConfigNode s3, String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return endpoint;
            }
        } catch (URISyntaxException malformed) {
            // refused below
        }
        throw s3.error("endpoint", "must be an http:// or https:// URL, was '" + endpoint + "'");
    }

    /** S3's bucket naming rules: 3-63 characters, lowercase letters, digits, dots and hyphens. */
    private static String bucket(ConfigNode s3) {
        String bucket = s3.requiredString("bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw s3.error(
                    "bucket", "is not a valid bucket name (3-63 lowercase letters, digits, '.', '-'): " + bucket);
        }
        return bucket;
    }
}
