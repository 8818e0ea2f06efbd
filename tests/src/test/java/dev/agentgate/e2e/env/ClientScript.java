package dev.agentgate.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client script under {@code tests/clients/} run as a process with the AGENTGATE_* environment
 * (host, port, user, token, database, CA file, query). Each script prints a tab-separated header and rows.
 */
public enum ClientScript {
    PYTHON_PYMYSQL(
            "python/query.py",
            List.of("python3"),
            List.of("python3", "-c", "import pymysql, cryptography"),
            "PyMySQL: pip install pymysql cryptography"),
    NODE_MYSQL2(
            "node/query.js",
            List.of("node"),
            List.of("node", "-e", "require('mysql2/promise')"),
            "mysql2: run `npm ci` in tests/clients/node (Node.js 18+ needed)"),
    /** A pool of one connection with resetOnRelease; statements in AGENTGATE_QUERIES (see the script). */
    NODE_MYSQL2_POOL(
            "node/pool.js",
            List.of("node"),
            List.of("node", "-e", "require('mysql2/promise')"),
            "mysql2: run `npm ci` in tests/clients/node (Node.js 18+ needed)"),
    GO_SQL_DRIVER(
            "go/query.go",
            List.of("go", "run"),
            List.of("go", "list", "-m", "github.com/go-sql-driver/mysql"),
            "go-sql-driver/mysql: run `go mod download` in tests/clients/go"),
    MARIADB_CLI(
            "shell/query.sh",
            List.of("bash"),
            List.of("mariadb", "--version"),
            "the mariadb CLI: apt-get install mariadb-client");

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private final String script;
    private final List<String> interpreter;
    private final List<String> probe;
    private final String installHint;

    ClientScript(String script, List<String> interpreter, List<String> probe, String installHint) {
        this.script = script;
        this.interpreter = interpreter;
        this.probe = probe;
        this.installHint = installHint;
    }

    public static Path clientsDirectory() {
        return Path.of(System.getProperty("agentgate.repo", ".."))
                .resolve("tests/clients")
                .toAbsolutePath()
                .normalize();
    }

    /** Fails (never skips) with what to install when the script's runtime or driver is missing. */
    public void requireInstalled() {
        Result result;
        try {
            result = run(probe, Map.of(), workingDirectory());
        } catch (UncheckedIOException e) {
            throw new AssertionError(
                    "missing " + installHint + " (" + e.getCause().getMessage() + ")", e);
        }
        if (result.exitCode() != 0) {
            throw new AssertionError("missing " + installHint + "; probe " + probe + " said: " + result.stderr());
        }
    }

    /**
     * Runs the script against {@code host:port} as {@code user} with {@code token} as the password.
     *
     * @param database the default schema, or null for the server's choice (the gateway: the target's)
     * @param caFile verify the server certificate against this PEM file; null: TLS without verification
     */
    public Result run(String host, int port, String user, String token, String database, Path caFile, String query) {
        return run(host, port, user, token, database, caFile, query, Map.of());
    }

    /** Like the other {@code run}, with more environment variables, e.g. the Python script's AGENTGATE_QUERIES. */
    public Result run(
            String host,
            int port,
            String user,
            String token,
            String database,
            Path caFile,
            String query,
            Map<String, String> moreEnvironment) {
        requireInstalled();
        List<String> command = new ArrayList<>(interpreter);
        command.add(clientsDirectory().resolve(script).toString());
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "AGENTGATE_HOST",
                host,
                "AGENTGATE_PORT",
                String.valueOf(port),
                "AGENTGATE_USER",
                user,
                "AGENTGATE_TOKEN",
                token,
                "AGENTGATE_QUERY",
                query));
        if (database != null) {
            environment.put("AGENTGATE_DATABASE", database);
        }
        if (caFile != null) {
            environment.put("AGENTGATE_CA", caFile.toString());
        }
        environment.putAll(moreEnvironment);
        return run(command, environment, workingDirectory());
    }

    /** The script's own directory (node resolves mysql2 from its node_modules there). */
    private Path workingDirectory() {
        return clientsDirectory().resolve(script).getParent();
    }

    private static Result run(List<String> command, Map<String, String> environment, Path directory) {
        try {
            Path stdout = Files.createTempFile("agentgate-client-", ".out");
            Path stderr = Files.createTempFile("agentgate-client-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            Result result = new Result(
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
