package dev.agentgate.e2e.env;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;

/**
 * The two JDBC drivers the suite logs in with, and the exact settings each needs for a token login over TLS
 * to a gateway with a certificate of a test CA (the README quotes these):
 *
 * <ul>
 *   <li>MySQL Connector/J 9: {@code jdbc:mysql://HOST:PORT/?sslMode=REQUIRED}, user = target name,
 *       password = the JWT. The greeting offers caching_sha2_password; the gateway asks for full authentication
 *       and the driver sends the token in clear inside TLS. {@code REQUIRED} encrypts without verifying;
 *       {@code sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=...} verifies.</li>
 *   <li>MariaDB Connector/J 3: {@code jdbc:mariadb://HOST:PORT/?sslMode=trust}, user = target name,
 *       password = the JWT. {@code trust} encrypts without verifying; {@code sslMode=verify-ca&serverSslCert=PATH}
 *       verifies against the gateway's certificate file.</li>
 * </ul>
 * Options are appended as {@code key=value} strings, e.g. {@code "useServerPrepStmts=true"}. Every URL also sets
 * {@value #TIMEOUTS} (both drivers use these names) so that a hung gateway fails a test instead of hanging it.
 */
public enum JdbcClient {
    CONNECTOR_J("jdbc:mysql", "sslMode=REQUIRED"),
    MARIADB_CONNECTOR_J("jdbc:mariadb", "sslMode=trust");

    static final String TIMEOUTS = "connectTimeout=20000&socketTimeout=120000";

    private final String scheme;
    private final String tlsOption;

    JdbcClient(String scheme, String tlsOption) {
        this.scheme = scheme;
        this.tlsOption = tlsOption;
    }

    /** Logs in to the gateway: user = target, password = token; the schema is the target's default. */
    public Connection connect(GatewayProcess gateway, String target, String token, String... options)
            throws SQLException {
        if (GatewayProcess.bypassed()) {
            return connectDirect(MariaDbServer.shared(), options);
        }
        return DriverManager.getConnection(
                url(gateway.host(), gateway.port(), "", options), credentials(target, token));
    }

    /** Logs in through whatever listens at {@code host:port} for gateways (a load balancer in front of a fleet). */
    public Connection connectTo(String host, int port, String target, String token, String... options)
            throws SQLException {
        return DriverManager.getConnection(url(host, port, "", options), credentials(target, token));
    }

    /** Logs in to MariaDB directly as the gateway's service user, with the same driver options. */
    public Connection connectDirect(MariaDbServer server, String... options) throws SQLException {
        return connectDirectTo(server, server.schema(), options);
    }

    /** Logs in to MariaDB directly as the gateway's service user, default schema {@code database}. */
    public Connection connectDirectTo(MariaDbServer server, String database, String... options) throws SQLException {
        return DriverManager.getConnection(
                url(server.host(), server.port(), database, options),
                credentials(server.serviceUser(), server.servicePassword()));
    }

    /** The JDBC URL with TLS on (without certificate verification) plus {@code options}; an sslMode option replaces it. */
    public String url(String host, int port, String database, String... options) {
        StringBuilder url = new StringBuilder(scheme)
                .append("://")
                .append(host)
                .append(':')
                .append(port)
                .append('/')
                .append(database)
                .append('?');
        if (Arrays.stream(options).noneMatch(option -> option.startsWith("sslMode="))) {
            url.append(tlsOption);
        }
        for (String option : options) {
            url.append(url.charAt(url.length() - 1) == '?' ? "" : "&").append(option);
        }
        return url.append('&').append(TIMEOUTS).toString();
    }

    private static Properties credentials(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }
}
