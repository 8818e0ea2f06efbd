package dev.agentgate.policy.whatif;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A local OPA serving a candidate bundle, for the what-if replay: {@code opa run --server --bundle FILE} on a free
 * loopback port, stopped on close. Its output goes to a temporary log, shown when it does not come up.
 */
public final class CandidateOpa implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final URI url;
    private final Path log;

    private CandidateOpa(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * @param opaBinary the {@code opa} executable
     * @param bundle a bundle file ({@code opa build} output) or directory
     * @throws IOException when OPA cannot be started or does not become healthy (its log is in the message)
     */
    public static CandidateOpa start(String opaBinary, Path bundle) throws IOException {
        if (!Files.exists(bundle)) {
            throw new IOException("bundle not found: " + bundle);
        }
        int port = freePort();
        Path log = Files.createTempFile("agentgate-whatif-opa-", ".log");
        Process process = new ProcessBuilder(List.of(
                        opaBinary,
                        "run",
                        "--server",
                        "--addr",
                        "127.0.0.1:" + port,
                        "--log-level",
                        "error",
                        "--bundle",
                        bundle.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        CandidateOpa opa = new CandidateOpa(process, URI.create("http://127.0.0.1:" + port), log);
        opa.awaitHealthy();
        return opa;
    }

    /** The OPA binary to use: {@code $OPA}, else the pinned build in the user's cache, else {@code opa} on the PATH. */
    public static String defaultBinary() {
        String fromEnv = System.getenv("OPA");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path cached = Path.of(System.getProperty("user.home"), ".cache", "agentgate", "opa-v1.22.2", "opa");
        return Files.isExecutable(cached) ? cached.toString() : "opa";
    }

    public URI url() {
        return url;
    }

    private void awaitHealthy() throws IOException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("opa exited with " + process.exitValue() + ": " + logText());
            }
            try {
                HttpResponse<Void> health = client.send(
                        HttpRequest.newBuilder(url.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for opa", interrupted);
            }
            pause();
        }
        close();
        throw new IOException("opa did not become healthy within " + START_LIMIT.toSeconds() + " s: " + logText());
    }

    private String logText() throws IOException {
        String text = Files.readString(log).strip();
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for opa", interrupted);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file left behind
        }
    }
}
