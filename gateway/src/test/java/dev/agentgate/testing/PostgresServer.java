package dev.agentgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for integration tests, from Debian's binaries ({@code /usr/lib/postgresql/<version>/bin},
 * or {@code $AGENTGATE_POSTGRES_BIN}): {@code initdb} in a fresh temp directory, {@code postgres} on a free port of
 * 127.0.0.1 (password logins over TCP, trust over its own socket), and a database {@value #DATABASE} owned by the
 * login {@value #USER}. PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres}
 * system user that Debian's package creates ({@code runuser}). {@link #close()} stops it and deletes the directory.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "agentgate_state";
    public static final String USER = "gw";
    public static final String PASSWORD = "gw-secret";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String SYSTEM_USER = "postgres";

    private final Path directory;
    private final Path bin;
    private final int port;
    private final Process process;

    private PostgresServer(Path directory, Path bin, int port, Process process) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
        this.process = process;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path directory = Files.createTempDirectory("agentgate-postgres-");
        handToSystemUser(directory);
        Path data = directory.resolve("data");
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "--pgdata=" + data,
                        "--username=postgres",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--no-instructions"),
                directory.resolve("initdb.log"));
        int port = FreePorts.next();
        Process process = new ProcessBuilder(asSystemUser(List.of(
                        bin.resolve("postgres").toString(),
                        "-D",
                        data.toString(),
                        "-p",
                        String.valueOf(port),
                        "-k",
                        directory.toString(),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "fsync=off")))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("postgres.log").toFile())
                .start();
        PostgresServer server = new PostgresServer(directory, bin, port, process);
        try {
            server.awaitReady();
            server.sql("postgres", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            server.sql("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@value #DATABASE} over TCP (log in as {@value #USER} / {@value #PASSWORD}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Runs {@code statements} in {@value #DATABASE} as the superuser; returns the rows, columns separated by tabs. */
    public String sql(String statements) throws IOException, InterruptedException {
        return sql(DATABASE, statements);
    }

    private String sql(String database, String statements) throws IOException, InterruptedException {
        return run(
                        List.of(
                                bin.resolve("psql").toString(),
                                "--no-psqlrc",
                                "--host=" + directory,
                                "--port=" + port,
                                "--username=postgres",
                                "--dbname=" + database,
                                "--tuples-only",
                                "--no-align",
                                "--field-separator=\t",
                                "--set=ON_ERROR_STOP=1",
                                "--command=" + statements),
                        directory.resolve("psql.log"))
                .strip();
    }

    @Override
    public void close() {
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "stop",
                            "--pgdata=" + directory.resolve("data"),
                            "--mode=immediate",
                            "--silent"),
                    directory.resolve("pg_ctl.log"));
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteRecursively(directory);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("postgres exited with " + process.exitValue() + ": " + log());
            }
            try {
                sql("postgres", "SELECT 1");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("postgres did not accept connections within " + STARTUP_TIMEOUT + ": " + log());
    }

    private String log() throws IOException {
        Path log = directory.resolve("postgres.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** The newest Debian PostgreSQL's bin directory, or {@code $AGENTGATE_POSTGRES_BIN}. */
    private static Path binaries() throws IOException {
        String configured = System.getenv("AGENTGATE_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> entries = Files.list(versions)) {
                Path newest = entries.map(version -> version.resolve("bin"))
                        .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                        .max(Comparator.comparing(PostgresServer::majorVersion))
                        .orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql"
                + " (or set AGENTGATE_POSTGRES_BIN)");
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** As root, the directory must belong to the user the server runs as. */
    private static void handToSystemUser(Path directory) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName(SYSTEM_USER));
            GroupPrincipal group = users.lookupPrincipalByGroupName(SYSTEM_USER);
            view.setGroup(group);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IOException(
                    "PostgreSQL does not run as root and there is no '" + SYSTEM_USER
                            + "' user to run it as (Debian's postgresql package creates it)",
                    e);
        }
    }

    private static List<String> asSystemUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SYSTEM_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(asSystemUser(command))
                .redirectError(log.toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " failed: " + Files.readString(log));
        }
        return output;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
