package dev.agentgate.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: s3proxy over its filesystem backend, in this JVM, on a loopback port, with AWS
 * signature v4 authentication and one bucket. Gateways (in this JVM or as processes) reach it over HTTP like any
 * S3-compatible store; {@link #stop()} and {@link #restart()} make it go down and come back on the same port.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "agentgate-test-access";
    public static final String SECRET_KEY = "agentgate-test-secret";
    public static final String REGION = "us-east-1";

    private final Path dir;
    private final String bucket;
    private final int port;
    private BlobStoreContext context;
    private S3Proxy proxy;

    private S3Server(Path dir, String bucket, int port) {
        this.dir = dir;
        this.bucket = bucket;
        this.port = port;
    }

    /** A server storing under {@code dir}, with {@code bucket} created. */
    public static S3Server start(Path dir, String bucket) {
        return startOn(dir, bucket, FreePorts.next());
    }

    /** ... on a given port (one a gateway was already configured with, to see it come up late). */
    public static S3Server startOn(Path dir, String bucket, int port) {
        S3Server server = new S3Server(dir, bucket, port);
        server.restart();
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String bucket() {
        return bucket;
    }

    /** The {@code recording.s3} section of a gateway config for this server (YAML, indented for its place). */
    public String recordingS3Yaml(String indent) {
        return indent + "s3:\n"
                + indent + "  endpoint: " + endpoint() + "\n"
                + indent + "  bucket: " + bucket + "\n"
                + indent + "  region: " + REGION + "\n"
                + indent + "  access_key: \"" + ACCESS_KEY + "\"\n"
                + indent + "  secret_key: \"" + SECRET_KEY + "\"\n"
                + indent + "  path_style: true\n";
    }

    /** Where the filesystem backend keeps an object (to see what was stored, or to damage it). */
    public Path objectFile(String key) {
        return dir.resolve(bucket).resolve(key);
    }

    public synchronized void restart() {
        if (proxy != null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", dir.toString());
            context = ContextBuilder.newBuilder("filesystem")
                    .credentials("identity", "credential")
                    .overrides(properties)
                    .build(BlobStoreContext.class);
            context.getBlobStore().createContainerInLocation(null, bucket);
            proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!"STARTED".equals(proxy.getState())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.onSpinWait();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy on port " + port, e);
        }
    }

    /** Takes the server down (its objects stay on disk for {@link #restart()}). */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy", e);
        } finally {
            proxy = null;
            context.close();
            context = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
