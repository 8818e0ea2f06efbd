package dev.agentgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the gateway keeps state that outlives a connection and is shared between gateways ({@code state:} section):
 * approval requests and grants, the session index. An SQLite file by default; gateways that must see each other's
 * approvals share a MariaDB, MySQL or PostgreSQL database by JDBC URL.
 *
 * @param url the JDBC URL ({@code jdbc:sqlite:<file>}, {@code jdbc:mariadb://...}, {@code jdbc:mysql://...},
 *     {@code jdbc:postgresql://...})
 * @param user null for none (SQLite)
 * @param password null for none
 * @param poolSize connections the gateway keeps open to it
 */
public record StateConfig(String url, String user, String password, int poolSize) {

    /** The SQLite file in the data directory when the section names no URL. */
    public static final String DEFAULT_FILE = "data/agentgate-state.db";

    public static final int DEFAULT_POOL_SIZE = 4;

    public StateConfig {
        Objects.requireNonNull(url, "state.url must not be null");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("state.url must be a JDBC URL (jdbc:...), was '" + url + "'");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("state.pool_size must be at least 1, was " + poolSize);
        }
    }

    /** An SQLite file, for one gateway alone. */
    public static StateConfig sqlite(Path file) {
        return new StateConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null, 1);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The URL with any password parameter removed, for logs and errors. */
    public String displayUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
