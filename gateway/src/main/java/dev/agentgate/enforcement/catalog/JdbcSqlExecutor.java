package dev.agentgate.enforcement.catalog;

import dev.agentgate.analysis.lineage.SqlExecutor;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the catalog's queries over one JDBC connection (MariaDB Connector/J) of the target's service account,
 * opened on first use and opened again after a failure. Blocking and serialised: call it from analysis threads
 * only, never from an event loop.
 *
 * <p>TLS follows the target's {@code tls.mode} as far as the driver allows: {@code disabled} -> {@code
 * sslMode=disable}; {@code required} -> {@code trust} (encrypted, certificate not checked, like the relay's own
 * backend connection); {@code verify_ca} -> {@code verify-ca} and {@code verify_identity} -> {@code verify-full},
 * both against {@code ca_file} when set, else the JVM's trust store; {@code preferred} -> {@code trust}, and when
 * that connection fails, once more without TLS (the driver has no "preferred" mode).
 */
public final class JdbcSqlExecutor implements SqlExecutor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcSqlExecutor.class);
    /** A catalog query that takes longer than this is abandoned; its schema then counts as unknown. */
    private static final int QUERY_TIMEOUT_SECONDS = 10;

    private final TargetConfig target;
    private Connection connection;

    public JdbcSqlExecutor(TargetConfig target) {
        this.target = target;
    }

    @Override
    public synchronized List<List<String>> query(String sql, List<String> parameters) throws SQLException {
        boolean reused = connection != null;
        try {
            return run(connection(), sql, parameters);
        } catch (SQLException failed) {
            close();
            if (!reused) {
                throw failed;
            }
            // The kept connection may have been closed by the server (wait_timeout): one more try on a new one.
            log.info("catalog connection to target {} failed ({}); reconnecting", target.name(), failed.toString());
            return run(connection(), sql, parameters);
        }
    }

    private static List<List<String>> run(Connection connection, String sql, List<String> parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            BackendTlsMode mode = target.tls().mode();
            try {
                connection = open(mode == BackendTlsMode.PREFERRED ? "trust" : sslMode(mode));
            } catch (SQLException withTls) {
                if (mode != BackendTlsMode.PREFERRED) {
                    throw withTls;
                }
                log.info(
                        "catalog connection to target {} with TLS failed ({}); tls.mode is preferred, trying without",
                        target.name(),
                        withTls.toString());
                connection = open("disable");
            }
        }
        return connection;
    }

    private Connection open(String sslMode) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", target.user());
        properties.setProperty("password", target.password());
        properties.setProperty(
                "connectTimeout", Long.toString(target.connectTimeout().toMillis()));
        properties.setProperty("socketTimeout", Long.toString((QUERY_TIMEOUT_SECONDS + 5) * 1000L));
        properties.setProperty("sslMode", sslMode);
        if (target.tls().caFile() != null) {
            properties.setProperty("serverSslCert", target.tls().caFile().toString());
        }
        // caching_sha2_password without TLS: the server's RSA key is fetched, as the relay's backend login does.
        properties.setProperty("allowPublicKeyRetrieval", "true");
        Connection opened =
                DriverManager.getConnection("jdbc:mariadb://" + hostForUrl() + ":" + target.port() + "/", properties);
        opened.setReadOnly(true);
        return opened;
    }

    private String hostForUrl() {
        return target.host().contains(":") && !target.host().startsWith("[")
                ? "[" + target.host() + "]"
                : target.host();
    }

    private static String sslMode(BackendTlsMode mode) {
        return switch (mode) {
            case DISABLED -> "disable";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
            default -> "trust";
        };
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection: nothing to recover
            }
            connection = null;
        }
    }
}
