package dev.agentgate.state;

import dev.agentgate.config.StateConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Serialises the schema migrations of several processes on one shared state database: replicas of a fleet starting
 * together would otherwise race Flyway's creation of its history table (the second finds it empty, or already
 * migrated, and refuses to baseline). The lock is the server's own session lock, held on a connection of its own
 * apart from the pool Flyway migrates through, and released when that connection closes, also when the process dies.
 * SQLite takes none: its file lock makes a second migration fail fast, which the caller tries again.
 */
final class MigrationLock implements AutoCloseable {

    /** An arbitrary key of agentgate's own in PostgreSQL's advisory lock space. */
    static final long POSTGRES_KEY = 0x6167_6761_7465_4d31L;

    static final String MARIADB_NAME = "agentgate_state_migration";
    static final int WAIT_SECONDS = 60;

    private static final MigrationLock NONE = new MigrationLock(null);

    private final Connection connection;

    private MigrationLock(Connection connection) {
        this.connection = connection;
    }

    /** Waits up to {@value #WAIT_SECONDS} s for the lock of {@code config}'s database. */
    static MigrationLock take(StateConfig config) throws SQLException {
        if (config.isSqlite()) {
            return NONE;
        }
        Connection connection = DriverManager.getConnection(config.url(), config.user(), config.password());
        try {
            if (config.url().startsWith("jdbc:postgresql:")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET statement_timeout = '" + WAIT_SECONDS + "s'");
                    statement.execute("SELECT pg_advisory_lock(" + POSTGRES_KEY + ")");
                }
            } else {
                takeNamedLock(connection);
            }
            return new MigrationLock(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void takeNamedLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            statement.setString(1, MARIADB_NAME);
            statement.setInt(2, WAIT_SECONDS);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next() || result.getInt(1) != 1) {
                    throw new SQLException(
                            "another process held the migration lock " + MARIADB_NAME + " for " + WAIT_SECONDS + " s");
                }
            }
        }
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing the session releases its lock on the server either way
        }
    }
}
