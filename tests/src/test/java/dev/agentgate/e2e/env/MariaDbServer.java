package dev.agentgate.e2e.env;

import dev.agentgate.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The MariaDB the gateway's targets point at: one per JVM ({@link #shared()}).
 *
 * <p>When {@code AGENTGATE_TEST_MYSQL_HOST} is set, an existing server is used
 * ({@code AGENTGATE_TEST_MYSQL_PORT/USER/PASSWORD}, an admin account). Otherwise a private server is started
 * with the gateway module's launcher ({@link dev.agentgate.testing.MariaDbServer}: Debian's binaries, a temp dir)
 * with TLS ({@link TestCertificates#forLoopback}), performance_schema on and max_allowed_packet 64M, and stopped
 * on JVM exit. Either way the anonymous users are dropped and the
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

    /** The CA file that verifies the server's certificate (for localhost and 127.0.0.1), or null for an external server. */
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
            TestCertificates tls = TestCertificates.forLoopback(home, "mariadb");
            dev.agentgate.testing.MariaDbServer process = dev.agentgate.testing.MariaDbServer.start(
                    home,
                    "--performance-schema=ON",
                    "--ssl-cert=" + tls.serverCertificate(),
                    "--ssl-key=" + tls.serverKey(),
                    "--max-allowed-packet=64M",
                    "--max-connections=500",
                    "--innodb-flush-log-at-trx-commit=0",
                    "--skip-name-resolve");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, home), "mariadb-stop"));
            MariaDbServer server = new MariaDbServer("127.0.0.1", process.port(), "root", "", tls.caCertificate());
            if (!FreePort.await(START_TIMEOUT, () -> true, server::acceptsLogin)) {
                throw new IllegalStateException("MariaDB did not accept a login on port " + process.port() + " within "
                        + START_TIMEOUT.toSeconds() + "s");
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start a private MariaDB (are mariadb-server binaries installed? "
                            + "apt-get install mariadb-server)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting MariaDB", e);
        }
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

    private static void stop(dev.agentgate.testing.MariaDbServer process, Path home) {
        process.close();
        Processes.deleteRecursively(home);
    }
}
