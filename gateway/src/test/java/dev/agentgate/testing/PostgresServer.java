package dev.agentgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for integration tests, from Debian's binaries ({@code /usr/lib/postgresql/<version>/bin},
 * or {@code $AGENTGATE_POSTGRES_BIN}): {@code initdb} in a fresh temp directory, {@code postgres} on a free port of
 * 127.0.0.1 (password logins over TCP, trust over its own socket), and a database {@value #DATABASE} owned by the
 * login {@value #USER}; as root, every command runs as the {@code postgres} system user ({@link PostgresBinaries}).
 * {@link #close()} stops it and deletes the directory.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "agentgate_state";
    public static final String USER = "gw";
    public static final String PASSWORD = "gw-secret";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final PostgresBinaries programs;
    private final int port;
    private final Process process;

    private PostgresServer(Path directory, PostgresBinaries programs, int port, Process process) {
        this.directory = directory;
        this.programs = programs;
        this.port = port;
        this.process = process;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        PostgresBinaries programs = PostgresBinaries.find();
        Path directory = Files.createTempDirectory("agentgate-postgres-");
        programs.handOver(directory);
        Path data = directory.resolve("data");
        programs.run(
                List.of(
                        programs.command("initdb"),
                        "--pgdata=" + data,
                        "--username=postgres",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--no-instructions"),
                directory.resolve("initdb.log"));
        int port = FreePorts.next();
        Process process = new ProcessBuilder(programs.asServerUser(List.of(
                        programs.command("postgres"),
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
        PostgresServer server = new PostgresServer(directory, programs, port, process);
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
        return programs.run(
                        List.of(
                                programs.command("psql"),
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
            programs.run(
                    List.of(
                            programs.command("pg_ctl"),
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

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
