package dev.agentgate.state;

import java.sql.Connection;
import java.sql.SQLException;

/** One piece of work on a state database connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
