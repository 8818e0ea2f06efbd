package dev.agentgate.analysis.lineage;

import java.util.List;

/**
 * Runs a read-only query for the catalog. The gateway implements it over a backend connection of its own
 * (never a client's session); tests over JDBC. Blocking: call it off the event loop.
 */
@FunctionalInterface
public interface SqlExecutor {

    /**
     * @param sql        a query with {@code ?} placeholders
     * @param parameters the placeholders' values, in order
     * @return the rows, each a list of column values as text (null for SQL NULL)
     * @throws Exception when the query cannot be run; the catalog then answers "not found" (fail safe)
     */
    List<List<String>> query(String sql, List<String> parameters) throws Exception;
}
