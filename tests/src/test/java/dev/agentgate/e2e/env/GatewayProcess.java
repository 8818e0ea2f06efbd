package dev.agentgate.e2e.env;

import dev.agentgate.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The gateway under test as a separate JVM: {@code java <options> -jar $agentgate.jar serve --config FILE},
 * its output captured in a log file. Built with {@link #builder()}; {@link #close()} stops it.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path home;
    private final Path logFile;
    private final TestCertificates certificate;
    private final int adminPort;

    private GatewayProcess(
            Process process, int port, Path home, Path logFile, TestCertificates certificate, int adminPort) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.logFile = logFile;
        this.certificate = certificate;
        this.adminPort = adminPort;
    }

    public static GatewayConfigBuilder builder() {
        return new GatewayConfigBuilder();
    }

    /**
     * With {@code -Dagentgate.e2e.bypassGateway=true} no gateway is started and clients log in to MariaDB directly
     * as the service user: a check of the tests themselves (gateway-specific assertions then fail, the rest pass).
     */
    public static boolean bypassed() {
        return Boolean.getBoolean("agentgate.e2e.bypassGateway");
    }

    static GatewayProcess start(GatewayConfigBuilder config, List<String> javaOptions) {
        if (bypassed()) {
            MariaDbServer mariadb = MariaDbServer.shared();
            return new GatewayProcess(
                    null,
                    mariadb.port(),
                    Path.of(System.getProperty("java.io.tmpdir")),
                    Path.of("bypassed-gateway.log"),
                    null,
                    0);
        }
        Path jar = Path.of(System.getProperty("agentgate.jar", "../gateway/target/agentgate.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway jar not found at " + jar.toAbsolutePath()
                    + ": build it first with `mvn -B -pl gateway package -DskipTests` (system property agentgate.jar)");
        }
        try {
            Path home = Files.createTempDirectory("agentgate-gateway-");
            TestCertificates certificate = config.tlsEnabled() ? TestCertificates.forLoopback(home, "gateway") : null;
            int port = FreePort.find();
            Path configFile = home.resolve("agentgate.yaml");
            Files.writeString(configFile, config.toYaml(port, certificate));
            Path logFile = home.resolve("gateway.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(javaOptions);
            command.addAll(
                    List.of("-jar", jar.toAbsolutePath().toString(), "serve", "--config", configFile.toString()));
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            GatewayProcess gateway = new GatewayProcess(process, port, home, logFile, certificate, config.adminPort());
            // The admin listener starts after the client listener: a test's first admin call must not race it.
            int admin = config.adminPort();
            if (!FreePort.await(
                    START_TIMEOUT,
                    process::isAlive,
                    () -> FreePort.isAccepting(port) && (admin == 0 || FreePort.isAccepting(admin)))) {
                String failure = "gateway did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
                        + "s (" + (process.isAlive() ? "still running" : "exit code " + process.exitValue())
                        + "); config:\n"
                        + Files.readString(configFile) + "log tail:\n" + Processes.tail(logFile, 40);
                gateway.close();
                throw new IllegalStateException(failure);
            }
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway process", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The admin listener's base URL, e.g. {@code http://127.0.0.1:PORT}; only with {@link GatewayConfigBuilder#adminEndpoint()}. */
    public URI adminUrl() {
        if (adminPort == 0) {
            throw new IllegalStateException("the admin endpoint is off: configure the gateway with adminEndpoint()");
        }
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    public Path logFile() {
        return logFile;
    }

    public Path configFile() {
        return home.resolve("agentgate.yaml");
    }

    /** The CA file that verifies the gateway's TLS certificate (for localhost and 127.0.0.1), or null without TLS. */
    public Path certificateFile() {
        return certificate == null ? null : certificate.caCertificate();
    }

    /**
     * The body of a GET of {@code path} (e.g. {@code /metrics}) on the admin endpoint, which the config must have
     * turned on ({@link GatewayConfigBuilder#adminEndpoint()}).
     */
    public String admin(String path) {
        HttpRequest request = HttpRequest.newBuilder(adminUrl().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on the admin endpoint failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    /** The gateway JVM's process id (for jcmd). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process == null || process.isAlive();
    }

    public String logTail(int lines) {
        return Processes.tail(logFile, lines);
    }

    /** Kills the process at once (SIGKILL), as a crashed replica; its directory stays until {@link #close()}. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 15 s) and deletes its directory. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        Processes.stop(process, 15);
        if (!Boolean.getBoolean("agentgate.keepGatewayFiles")) {
            Processes.deleteRecursively(home);
        }
    }

    @Override
    public String toString() {
        return "gateway on 127.0.0.1:" + port + " (log " + logFile + ")";
    }
}
