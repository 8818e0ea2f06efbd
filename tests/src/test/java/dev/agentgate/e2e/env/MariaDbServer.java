package dev.agentgate.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The MariaDB the gateway's targets point at: one per JVM ({@link #shared()}).
 *
 * <p>When {@code AGENTGATE_TEST_MYSQL_HOST} is set, an existing server is used
 * ({@code AGENTGATE_TEST_MYSQL_PORT/USER/PASSWORD}, an admin account). Otherwise a private server is started
 * from Debian's binaries in a temp dir (TLS with a self-signed certificate, performance_schema on,
 * max_allowed_packet 64M) and stopped on JVM exit. Either way the anonymous users are dropped and the
 * gateway's service user {@value #SERVICE_USER} (mysql_native_password) gets all privileges on {@value #SCHEMA}.
 */
public final class MariaDbServer {

    public static final String SERVICE_USER = "agentgate_svc";
    public static final String SCHEMA = "agentgate_test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static MariaDbServer shared;

    private final String host;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final String servicePassword = "svc-" + UUID.randomUUID();
    private final Path certificateFile;

    private MariaDbServer(String host, int port, String adminUser, String adminPassword, Path certificateFile) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.certificateFile = certificateFile;
    }

    /** The server for this JVM, started (or connected to) on first use. */
    public static synchronized MariaDbServer shared() {
        if (shared == null) {
            MariaDbServer server = System.getenv("AGENTGATE_TEST_MYSQL_HOST") != null ? external() : startPrivate();
            server.prepareAccounts();
            shared = server;
        }
        return shared;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String serviceUser() {
        return SERVICE_USER;
    }

    public String servicePassword() {
        return servicePassword;
    }

    public String schema() {
        return SCHEMA;
    }

    public String adminUser() {
        return adminUser;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The server's self-signed certificate (usable as CA file), or null for an external server. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** A JDBC URL for the MariaDB driver, TLS without verification, to {@code database} (may be empty). */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database + "?sslMode=trust";
    }

    /** A direct admin connection (not through the gateway) to the test schema. */
    public Connection connectAsAdmin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(SCHEMA), adminUser, adminPassword);
    }

    /** A direct connection as the gateway's service user: what the gateway itself sees. */
    public Connection connectAsServiceUser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(SCHEMA), SERVICE_USER, servicePassword);
    }

    /** Runs statements as admin in the test schema, failing the test on any error. */
    public void execute(String... statements) {
        executeIn(SCHEMA, statements);
    }

    private void executeIn(String database, String... statements) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB setup statement failed: " + e.getMessage(), e);
        }
    }

    private static MariaDbServer external() {
        String port = System.getenv().getOrDefault("AGENTGATE_TEST_MYSQL_PORT", "3306");
        return new MariaDbServer(
                System.getenv("AGENTGATE_TEST_MYSQL_HOST"),
                Integer.parseInt(port),
                System.getenv().getOrDefault("AGENTGATE_TEST_MYSQL_USER", "root"),
                System.getenv().getOrDefault("AGENTGATE_TEST_MYSQL_PASSWORD", ""),
                null);
    }

    private static MariaDbServer startPrivate() {
        try {
            Path home = Files.createTempDirectory("agentgate-mariadb-");
            Path dataDir = home.resolve("data");
            runToCompletion(
                    home.resolve("install.log"),
                    List.of(
                            "mariadb-install-db",
                            "--no-defaults",
                            "--datadir=" + dataDir,
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db"));
            SelfSignedCertificate tls = SelfSignedCertificate.generate(home, "mariadb");
            int port = FreePort.find();
            Path log = home.resolve("mariadbd.log");
            Process process = new ProcessBuilder(serverCommand(home, dataDir, port, tls))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, home), "mariadb-stop"));
            MariaDbServer server = new MariaDbServer("127.0.0.1", port, "root", "", tls.certificateFile());
            if (!FreePort.await(START_TIMEOUT, process::isAlive, server::acceptsLogin)) {
                throw new IllegalStateException(
                        "MariaDB did not accept connections on port " + port + " within " + START_TIMEOUT.toSeconds()
                                + "s (alive=" + process.isAlive() + "); log tail:\n" + Processes.tail(log, 30));
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start a private MariaDB (are mariadb-server binaries installed? "
                            + "apt-get install mariadb-server)",
                    e);
        }
    }

    private static List<String> serverCommand(Path home, Path dataDir, int port, SelfSignedCertificate tls) {
        List<String> command = new ArrayList<>(List.of(
                "mariadbd",
                "--no-defaults",
                "--datadir=" + dataDir,
                "--socket=" + home.resolve("mariadb.sock"),
                "--pid-file=" + home.resolve("mariadb.pid"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--user=root",
                "--performance-schema=ON",
                "--ssl-cert=" + tls.certificateFile(),
                "--ssl-key=" + tls.privateKeyFile(),
                "--max-allowed-packet=64M",
                "--max-connections=500",
                "--innodb-flush-log-at-trx-commit=0",
                "--skip-name-resolve"));
        if (Files.isExecutable(Path.of("/usr/sbin/mariadbd"))) {
            command.set(0, "/usr/sbin/mariadbd");
        }
        return command;
    }

    private boolean acceptsLogin() {
        if (!FreePort.isAccepting(port)) {
            return false;
        }
        try (Connection ignored = DriverManager.getConnection(jdbcUrl(""), adminUser, adminPassword)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void prepareAccounts() {
        executeIn(
                "",
                "DELETE FROM mysql.global_priv WHERE User = ''",
                "FLUSH PRIVILEGES",
                "CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "DROP USER IF EXISTS '" + SERVICE_USER + "'@'%'",
                "CREATE USER '" + SERVICE_USER + "'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('"
                        + servicePassword + "')",
                "GRANT ALL PRIVILEGES ON " + SCHEMA + ".* TO '" + SERVICE_USER + "'@'%'");
    }

    private static void runToCompletion(Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " failed; output:\n" + Processes.tail(log, 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static void stop(Process process, Path home) {
        Processes.stop(process, 20);
        Processes.deleteRecursively(home);
    }
}
