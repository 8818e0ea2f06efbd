package dev.agentgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Session recording ({@code recording:} section): where segments are written, how large and old they may grow, how
 * long they are kept, and what happens to statements when recording fails.
 *
 * @param enabled whether sessions are recorded at all
 * @param dir where segment files are written (one directory per session)
 * @param maxResultBytes response bytes kept per statement; what goes beyond is counted, not kept
 * @param onFailure whether statements are refused or go on (with the gap recorded) when recording fails
 * @param segmentMaxBytes a session's segment is closed and a new one begun past this many compressed bytes
 * @param segmentMaxAge ... or when it is this old
 * @param retentionMaxAge finished recordings older than this are deleted; null keeps them
 * @param retentionMaxBytes the oldest finished recordings are deleted while all of them take more; 0 for no limit
 * @param signingKey Ed25519 private key (PEM) that signs segment heads; generated there when absent
 * @param queueCapacity events waiting for the writer; past it recording is behind (see {@code on_failure})
 * @param s3 where closed segments are also uploaded, empty for local files only
 * @param durableWithin how long the end of a response is held back for the statement's record to be durable; past
 *     it {@code on_failure} applies to the statement
 */
public record RecordingConfig(
        boolean enabled,
        Path dir,
        int maxResultBytes,
        OnFailure onFailure,
        long segmentMaxBytes,
        Duration segmentMaxAge,
        Duration retentionMaxAge,
        long retentionMaxBytes,
        Path signingKey,
        int queueCapacity,
        Optional<S3Config> s3,
        Duration durableWithin) {

    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
    public static final long DEFAULT_SEGMENT_MAX_BYTES = 16L << 20;
    public static final Duration DEFAULT_SEGMENT_MAX_AGE = Duration.ofHours(1);
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    public static final Duration DEFAULT_DURABLE_WITHIN = Duration.ofSeconds(5);

    /** What a statement meets while its session's recording cannot be written. */
    public enum OnFailure {
        /** New statements are refused with an error that says why (the default: nothing runs unrecorded). */
        REFUSE,
        /** Statements go on; the recording says what it lost. */
        CONTINUE
    }

    /**
     * An S3-compatible object store (AWS S3, MinIO, Ceph, ...).
     *
     * @param endpoint the store's URL, null for AWS's own
     * @param prefix key prefix under which each session's segments are stored
     * @param pathStyle address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}
     */
    public record S3Config(
            String endpoint,
            String bucket,
            String region,
            String accessKey,
            String secretKey,
            boolean pathStyle,
            String prefix) {
        public S3Config {
            Objects.requireNonNull(bucket, "recording.s3.bucket");
            Objects.requireNonNull(region, "recording.s3.region");
            prefix = prefix == null ? "" : prefix;
        }

        /** Never shows the keys: configs are logged and printed. */
        @Override
        public String toString() {
            return "S3Config[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey="
                    + (accessKey == null ? "(default chain)" : "***") + ", pathStyle=" + pathStyle + ", prefix="
                    + prefix + "]";
        }
    }

    public RecordingConfig {
        Objects.requireNonNull(dir, "recording.dir");
        Objects.requireNonNull(onFailure, "recording.on_failure");
        Objects.requireNonNull(segmentMaxAge, "recording.segment_max_age");
        Objects.requireNonNull(signingKey, "recording.signing_key");
        Objects.requireNonNull(s3, "recording.s3");
        Objects.requireNonNull(durableWithin, "recording.durable_within");
    }

    /** Records are durable within {@link #DEFAULT_DURABLE_WITHIN}. */
    public RecordingConfig(
            boolean enabled,
            Path dir,
            int maxResultBytes,
            OnFailure onFailure,
            long segmentMaxBytes,
            Duration segmentMaxAge,
            Duration retentionMaxAge,
            long retentionMaxBytes,
            Path signingKey,
            int queueCapacity,
            Optional<S3Config> s3) {
        this(
                enabled,
                dir,
                maxResultBytes,
                onFailure,
                segmentMaxBytes,
                segmentMaxAge,
                retentionMaxAge,
                retentionMaxBytes,
                signingKey,
                queueCapacity,
                s3,
                DEFAULT_DURABLE_WITHIN);
    }

    /** Recording off (the default when the section is absent). */
    public static RecordingConfig disabled() {
        return inDirectory(Path.of("recordings")).withEnabled(false);
    }

    /** Recording on, into {@code dir}, with every other setting at its default (for tests and embedding). */
    public static RecordingConfig inDirectory(Path dir) {
        return new RecordingConfig(
                true,
                dir,
                DEFAULT_MAX_RESULT_BYTES,
                OnFailure.REFUSE,
                DEFAULT_SEGMENT_MAX_BYTES,
                DEFAULT_SEGMENT_MAX_AGE,
                null,
                0,
                dir.resolve("signing-key.pem"),
                DEFAULT_QUEUE_CAPACITY,
                Optional.empty());
    }

    public RecordingConfig withEnabled(boolean on) {
        return copy(c -> c.enabled = on);
    }

    public RecordingConfig withOnFailure(OnFailure failure) {
        return copy(c -> c.onFailure = failure);
    }

    public RecordingConfig withMaxResultBytes(int bytes) {
        return copy(c -> c.maxResultBytes = bytes);
    }

    public RecordingConfig withSegmentMaxBytes(long bytes) {
        return copy(c -> c.segmentMaxBytes = bytes);
    }

    public RecordingConfig withS3(S3Config store) {
        return copy(c -> c.s3 = Optional.of(store));
    }

    public RecordingConfig withDurableWithin(Duration within) {
        return copy(c -> c.durableWithin = within);
    }

    /** This config with what {@code change} sets on a copy of its settings: the one place the fields are listed. */
    private RecordingConfig copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new RecordingConfig(
                c.enabled,
                dir,
                c.maxResultBytes,
                c.onFailure,
                c.segmentMaxBytes,
                segmentMaxAge,
                retentionMaxAge,
                retentionMaxBytes,
                signingKey,
                queueCapacity,
                c.s3,
                c.durableWithin);
    }

    /** The settings a {@code with*} method may change. */
    private static final class Copy {
        boolean enabled;
        int maxResultBytes;
        OnFailure onFailure;
        long segmentMaxBytes;
        Optional<S3Config> s3;
        Duration durableWithin;

        Copy(RecordingConfig of) {
            enabled = of.enabled;
            maxResultBytes = of.maxResultBytes;
            onFailure = of.onFailure;
            segmentMaxBytes = of.segmentMaxBytes;
            s3 = of.s3;
            durableWithin = of.durableWithin;
        }
    }
}
