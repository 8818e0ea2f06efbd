package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A fleet's recordings in an S3-compatible bucket: {@code PREFIX<session id>/segment-000001.jsonl.gz}, the same names
 * as on a gateway's disk. Every call blocks on the network: callers are the archive's uploader thread and the
 * {@code sessions} commands, never an event loop. SDK failures come out as {@link IOException}s.
 */
final class S3Objects implements AutoCloseable {

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    S3Objects(RecordingConfig.S3Config config) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                // Checksums only where the API requires them: most S3-compatible stores do not speak the SDK's
                // newer default (trailing CRC32 in aws-chunked bodies).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofSeconds(60)));
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        this.client = builder.build();
        this.bucket = config.bucket();
        this.prefix = normalizedPrefix(config.prefix());
    }

    /** Keys given by config access_key/secret_key, else the SDK's chain (AWS_* variables, ~/.aws/credentials). */
    private static AwsCredentialsProvider credentials(RecordingConfig.S3Config config) {
        if (config.accessKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    static String normalizedPrefix(String prefix) {
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Where the store is, for messages: {@code s3://bucket/prefix}. */
    String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    String key(String sessionId, String segmentName) {
        return prefix + RecordingLayout.checkedSessionId(sessionId) + "/" + segmentName;
    }

    void put(String sessionId, String segmentName, Path file) throws IOException {
        call(() -> client.putObject(
                request ->
                        request.bucket(bucket).key(key(sessionId, segmentName)).contentType("application/gzip"),
                RequestBody.fromFile(file)));
    }

    InputStream open(String sessionId, String segmentName) throws IOException {
        return call(() -> client.getObject(request -> request.bucket(bucket).key(key(sessionId, segmentName))));
    }

    /** Fails unless the bucket can be reached with these credentials. */
    void probe() throws IOException {
        call(() -> client.headBucket(request -> request.bucket(bucket)));
    }

    List<String> sessionIds() throws IOException {
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(prefix)
                .delimiter("/")
                .build();
        List<String> ids = new ArrayList<>();
        call(() -> {
            for (var page : client.listObjectsV2Paginator(request)) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String name = common.prefix().substring(prefix.length());
                    ids.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
            return ids;
        });
        return ids;
    }

    /** The session's segment names in order. */
    List<String> segmentNames(String sessionId) throws IOException {
        String sessionPrefix = prefix + RecordingLayout.checkedSessionId(sessionId) + "/";
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(sessionPrefix)
                .build();
        List<String> names = new ArrayList<>();
        call(() -> {
            for (var page : client.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(sessionPrefix.length());
                    if (RecordingLayout.segmentNumber(name) > 0) {
                        names.add(name);
                    }
                }
            }
            return names;
        });
        names.sort(null);
        return names;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException(location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
