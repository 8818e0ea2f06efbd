package dev.agentgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real OPA server ({@code opa run --server}) on a free loopback port, for tests. The binary is
 * taken from {@code $OPA}, else {@code ~/.cache/agentgate/opa-v1.22.2/opa} (where .ci/run installs
 * the pinned version), else {@code opa} on the PATH.
 */
public final class OpaProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private OpaProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts OPA serving the given policy/data files or directories, watching them for changes. */
    public static OpaProcess start(Path... policies) {
        return startOnPort(FreePorts.next(), policies);
    }

    /**
     * Starts OPA with extra options of {@code opa run}, e.g. {@code --set decision_logs.console=true}
     * so that answers carry a decision id.
     */
    public static OpaProcess start(List<String> extraArgs, Path... policies) {
        return startOnPort(FreePorts.next(), extraArgs, policies);
    }

    /** Starts OPA on a given port, e.g. to bring it back where a killed one was. */
    public static OpaProcess startOnPort(int port, Path... policies) {
        return startOnPort(port, List.of(), policies);
    }

    /**
     * Starts OPA on a given port with extra {@code opa run} options, e.g.
     * {@code List.of("--set", "decision_logs.console=true")} so that answers carry a {@code decision_id}.
     */
    public static OpaProcess startOnPort(int port, List<String> options, Path... policies) {
        try {
            Path log = Files.createTempFile("opa-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    binary(), "run", "--server", "--watch", "--addr", "127.0.0.1:" + port, "--log-level", "error"));
            command.addAll(options);
            for (Path policy : policies) {
                command.add(policy.toString());
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            OpaProcess opa = new OpaProcess(process, port, log);
            opa.awaitHealthy();
            return opa;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String binary() {
        String fromEnv = System.getenv("OPA");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path cached = Path.of(System.getProperty("user.home"), ".cache", "agentgate", "opa-v1.22.2", "opa");
        return Files.isExecutable(cached) ? cached.toString() : "opa";
    }

    private void awaitHealthy() {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("opa exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                HttpResponse<String> health = client.send(
                        HttpRequest.newBuilder(url().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new IllegalStateException("opa did not become healthy within 20 s: " + logTail());
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Freezes the process (SIGSTOP): it still accepts connections but never answers. */
    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    /** Kills the process at once (SIGKILL), as a crashed sidecar; {@link #startOnPort} brings one back. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** True while something accepts connections on the port. */
    public boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        thaw();
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
