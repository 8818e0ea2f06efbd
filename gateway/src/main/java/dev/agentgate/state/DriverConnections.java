package dev.agentgate.state;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections straight from the JDBC driver of a URL. The pool is given this rather than the URL because, with a
 * URL, HikariCP sets {@link DriverManager#setLoginTimeout} for it, which holds for every DriverManager connection in
 * the process: the gateway's catalog connections to targets (and any embedding application) would inherit the
 * state database's time limit.
 */
final class DriverConnections implements DataSource {

    private final String url;
    private final Properties properties;
    private int loginTimeoutSeconds;

    DriverConnections(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Driver driver = DriverManager.getDriver(url);
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("no JDBC driver accepts the state database URL");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are part of the configuration");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
