package dev.agentgate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for integration tests: a fresh data directory under a temp dir, a free port on
 * 127.0.0.1, anonymous users dropped. Statements run as root through the {@code mariadb} client over the socket.
 * The one MariaDB launcher of both modules: the end-to-end suite's shared server is started with it too.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final int port;
    private final List<String> command;
    /** The running mariadbd; replaced by {@link #startAgain()}. */
    private volatile Process process;

    private MariaDbServer(Path directory, int port, List<String> command, Process process) {
        this.directory = directory;
        this.port = port;
        this.command = List.copyOf(command);
        this.process = process;
    }

    /** Starts a server; {@code extraOptions} are appended to the mariadbd command line (e.g. {@code --ssl-cert=...}). */
    public static MariaDbServer start(Path directory, String... extraOptions) throws IOException, InterruptedException {
        Path data = directory.resolve("data");
        run(
                List.of(
                        "/usr/bin/mariadb-install-db",
                        "--no-defaults",
                        "--datadir=" + data,
                        "--auth-root-authentication-method=normal"),
                directory.resolve("install.log"));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                "/usr/sbin/mariadbd",
                "--no-defaults",
                "--datadir=" + data,
                "--socket=" + directory.resolve("sock"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--pid-file=" + directory.resolve("mariadb.pid"),
                "--user=root",
                "--log-error=" + directory.resolve("error.log")));
        command.addAll(List.of(extraOptions));
        MariaDbServer server = new MariaDbServer(directory, port, command, launch(command, directory));
        try {
            server.awaitReady();
            server.sql("DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Process launch(List<String> command, Path directory) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        directory.resolve("stdout.log").toFile()))
                .start();
    }

    public int port() {
        return port;
    }

    /** Kills mariadbd at once (SIGKILL), as a crash or a lost host would: clients see their connections drop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    /** Stops mariadbd without ending it (SIGSTOP), as a partition would: connections stay open, nothing answers. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets mariadbd go on after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        run(List.of("/bin/kill", "-" + name, String.valueOf(process.pid())), directory.resolve("signal.log"));
    }

    /** Starts mariadbd again after {@link #kill()}, on the same port and data directory. */
    public void startAgain() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("mariadbd on port " + port + " is still running");
        }
        process = launch(command, directory);
        awaitReady();
    }

    /** Runs statements as root; returns the tab-separated result rows without column names. */
    public String sql(String statements) throws IOException, InterruptedException {
        return run(
                        List.of(
                                "/usr/bin/mariadb",
                                "--no-defaults",
                                "-uroot",
                                "--socket=" + directory.resolve("sock"),
                                "--batch",
                                "--skip-column-names",
                                "-e",
                                statements),
                        directory.resolve("client.log"))
                .strip();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd exited with " + process.exitValue() + ": " + errorLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (Files.exists(directory.resolve("sock"))) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("mariadbd did not accept connections within " + STARTUP_TIMEOUT + ": " + errorLog());
    }

    private String errorLog() throws IOException {
        Path log = directory.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "(no error log)";
    }

    private static String run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 1)) + " failed: " + Files.readString(log));
        }
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
