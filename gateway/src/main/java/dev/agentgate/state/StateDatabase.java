package dev.agentgate.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentgate.config.StateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database where the gateway keeps what outlives a connection (approvals, the session index): a small pool,
 * the schema brought up to date by Flyway from {@code db/migration/state} on open, and a few threads of its own so
 * that JDBC never runs on a network thread. Every call completes its future on one of those threads; a failure
 * completes it exceptionally with a {@link StateUnavailableException} naming the database.
 *
 * <p>Work no client waits for (heartbeats, leases, polls: {@link #callInBackground}) has a lane of its own, one
 * thread and, on a shared database, one connection beside the {@code pool_size} of the statements' calls: while the
 * database is down every call takes up to the connection timeout, and a statement's call queued behind the polls
 * would wait for theirs too before it is refused. Calls that find the pool gone connect again each on its own
 * thread, none waiting for another's attempt.
 */
public final class StateDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateDatabase.class);
    private static final String MIGRATIONS = "classpath:db/migration/state";
    private static final int MIGRATION_ATTEMPTS_ON_SQLITE = 5;
    /** How long a call waits for a pooled connection before the database counts as down. */
    private static final long CONNECTION_TIMEOUT_MS = 2_000;

    private static final int VALIDATION_TIMEOUT_S = 1;
    /** Longer than any piece of state work takes, waiting for another gateway's row lock included. */
    private static final int SOCKET_TIMEOUT_S = 10;

    private final StateConfig config;
    /** The statements' lane: {@code pool_size} threads. */
    private final ExecutorService executor;
    /** The background lane: one thread, so polls never take more than one connection. */
    private final ExecutorService background;
    /** Made on first use, so that a gateway whose policy never asks for approval never touches the database. */
    private HikariDataSource pool;
    /** Whether the schema was brought up to date: a pool made again after the database was lost skips it. */
    private boolean migrated;

    private boolean closed;

    private StateDatabase(StateConfig config) {
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.poolSize(), task -> {
            Thread thread = new Thread(task, "agentgate-state-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.background = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "agentgate-state-background");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects and migrates the schema now.
     *
     * @throws StateUnavailableException when the database cannot be reached or migrated
     */
    public static StateDatabase open(StateConfig config) {
        StateDatabase database = new StateDatabase(config);
        try {
            database.pool();
        } catch (StateUnavailableException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /**
     * Connects and migrates on first use; a database that is down then fails that call (and the next call tries
     * again).
     */
    public static StateDatabase connectingOnFirstUse(StateConfig config) {
        return new StateDatabase(config);
    }

    /**
     * The pool, made on first use (connecting and migrating, one call at a time) or again after it was lost: then
     * outside the lock, so that a call does not wait for another's attempt (up to the connection timeout each) before
     * its own; the first pool made is kept, any other closed.
     */
    private HikariDataSource pool() {
        synchronized (this) {
            checkOpen();
            if (pool != null) {
                return pool;
            }
            if (!migrated) {
                pool = connect(config);
                migrated = true;
                return pool;
            }
        }
        HikariDataSource made = reconnect(config);
        synchronized (this) {
            if (!closed && pool == null) {
                pool = made;
                log.info("state database {} reachable again", config.displayUrl());
                return made;
            }
        }
        made.close();
        synchronized (this) {
            checkOpen();
            if (pool != null) {
                return pool;
            }
        }
        throw new StateUnavailableException(
                "the state database " + config.displayUrl() + " was lost again while connecting", null);
    }

    private void checkOpen() {
        if (closed) {
            throw new StateUnavailableException("the state database " + config.displayUrl() + " is closed", null);
        }
    }

    /**
     * A pool left without connections gave up on the database: it is made anew at the next call. Left as it is, it
     * would back off for up to 5 s between attempts, refusing calls for that long after the database is back.
     */
    private synchronized void discardIfEmpty(HikariDataSource lost) {
        if (pool == lost && lost.getHikariPoolMXBean().getTotalConnections() == 0) {
            pool = null;
            lost.close();
            log.warn("the state database {} was lost; connecting again at the next call", config.displayUrl());
        }
    }

    private static HikariDataSource reconnect(StateConfig config) {
        try {
            return new HikariDataSource(poolConfig(config));
        } catch (RuntimeException e) {
            throw new StateUnavailableException(
                    "cannot connect to the state database " + config.displayUrl() + ": " + rootMessage(e), e);
        }
    }

    private static HikariDataSource connect(StateConfig config) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(config));
        } catch (RuntimeException e) {
            throw new StateUnavailableException(
                    "cannot connect to the state database " + config.displayUrl() + ": " + rootMessage(e), e);
        }
        try (MigrationLock lock = MigrationLock.take(config)) {
            migrate(pool, config);
        } catch (SQLException e) {
            pool.close();
            throw new StateUnavailableException(
                    "cannot take the migration lock of the state database " + config.displayUrl() + ": "
                            + rootMessage(e),
                    e);
        } catch (FlywayException e) {
            pool.close();
            throw new StateUnavailableException(
                    "cannot migrate the state database " + config.displayUrl() + ": " + rootMessage(e), e);
        }
        log.info("state database {} ready", config.displayUrl());
        return pool;
    }

    /**
     * Flyway takes no lock on SQLite: a second process opening the same file (the CLI beside a running gateway) while
     * the first migrates finds it locked. The migration is tried again then, a few times, before it counts as failed.
     * Shared servers are serialised by {@link MigrationLock} instead.
     */
    private static void migrate(HikariDataSource pool, StateConfig config) {
        for (int attempt = 1; ; attempt++) {
            try {
                Flyway.configure()
                        .dataSource(pool)
                        .locations(MIGRATIONS)
                        .table("agentgate_schema_history")
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
                return;
            } catch (FlywayException e) {
                if (!config.isSqlite() || attempt == MIGRATION_ATTEMPTS_ON_SQLITE || !isLocked(e)) {
                    throw e;
                }
                log.info("state database {} is locked by another migration; trying again", config.displayUrl());
                try {
                    Thread.sleep(250L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean isLocked(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("SQLITE_BUSY") || message.contains("database is locked")) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code work} with a connection in auto-commit mode. */
    public <T> CompletableFuture<T> call(SqlWork<T> work) {
        return submit(work, executor);
    }

    /**
     * Runs {@code work} as {@link #call} does, on the background lane: for work no client waits for (heartbeats,
     * leases, polls), which then never delays a statement's call.
     */
    public <T> CompletableFuture<T> callInBackground(SqlWork<T> work) {
        return submit(work, background);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> CompletableFuture<T> inTransaction(SqlWork<T> work) {
        return submit(
                connection -> {
                    connection.setAutoCommit(false);
                    try {
                        T result = work.apply(connection);
                        connection.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                },
                executor);
    }

    /**
     * For readiness: completes with the database's display URL once a pooled connection answers, fails naming the
     * database when none does (connecting and migrating first, when this is the first use).
     */
    public CompletableFuture<String> probe() {
        return call(connection -> {
            if (!connection.isValid((int) TimeUnit.MILLISECONDS.toSeconds(CONNECTION_TIMEOUT_MS))) {
                throw new SQLException("the connection did not answer");
            }
            return "reachable: " + displayUrl();
        });
    }

    public boolean isSqlite() {
        return config.isSqlite();
    }

    /** The URL without secrets, for messages. */
    public String displayUrl() {
        return config.displayUrl();
    }

    private <T> CompletableFuture<T> submit(SqlWork<T> work, ExecutorService lane) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try (Connection connection = liveConnection()) {
                            return work.apply(connection);
                        } catch (SQLException | RuntimeException e) {
                            throw new CompletionException(unavailable(e));
                        }
                    },
                    lane);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(unavailable(closed));
        }
    }

    /**
     * A pooled connection that answers. The pool checks only connections idle for a while; one used a moment ago may
     * have died with the database since (a restart, a fail-over), and would fail the first calls after it is back.
     */
    private Connection liveConnection() throws SQLException {
        HikariDataSource pool = pool();
        try {
            Connection connection = pool.getConnection();
            if (config.isSqlite() || connection.isValid(VALIDATION_TIMEOUT_S)) {
                return connection;
            }
            pool.evictConnection(connection);
            return pool.getConnection();
        } catch (SQLTransientConnectionException timedOut) {
            discardIfEmpty(pool);
            throw timedOut;
        }
    }

    private StateUnavailableException unavailable(Exception e) {
        return e instanceof StateUnavailableException already
                ? already
                : new StateUnavailableException(
                        "the state database " + config.displayUrl() + " failed: " + rootMessage(e), e);
    }

    private static HikariConfig poolConfig(StateConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("agentgate-state");
        Properties driver = new Properties();
        if (config.user() != null) {
            driver.setProperty("user", config.user());
        }
        if (config.password() != null) {
            driver.setProperty("password", config.password());
        }
        // SQLite keeps one connection, shared by both lanes; a shared database one more for the background lane.
        hikari.setMaximumPoolSize(config.isSqlite() ? config.poolSize() : config.poolSize() + 1);
        hikari.setMinimumIdle(Math.min(1, config.poolSize()));
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setValidationTimeout(TimeUnit.SECONDS.toMillis(VALIDATION_TIMEOUT_S));
        // Fail at once when the database is down, rather than serving with a pool that never fills.
        hikari.setInitializationFailTimeout(CONNECTION_TIMEOUT_MS);
        if (config.isSqlite()) {
            createParentDirectory(config.url().substring("jdbc:sqlite:".length()));
            driver.setProperty("journal_mode", "WAL");
            driver.setProperty("busy_timeout", "5000");
            driver.setProperty("foreign_keys", "true");
        } else {
            // A database that stops answering (a partition, a frozen host) fails the call rather than hold its thread.
            boolean seconds = config.url().startsWith("jdbc:postgresql:"); // pgjdbc counts these in seconds
            driver.setProperty(
                    "connectTimeout",
                    String.valueOf(
                            seconds ? TimeUnit.MILLISECONDS.toSeconds(CONNECTION_TIMEOUT_MS) : CONNECTION_TIMEOUT_MS));
            driver.setProperty(
                    "socketTimeout",
                    String.valueOf(seconds ? SOCKET_TIMEOUT_S : TimeUnit.SECONDS.toMillis(SOCKET_TIMEOUT_S)));
            // Counting votes relies on reading what other gateways committed after waiting for their row lock.
            hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        hikari.setDataSource(new DriverConnections(config.url(), driver));
        return hikari;
    }

    private static void createParentDirectory(String file) {
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StateUnavailableException("cannot create the state database's directory " + parent, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public synchronized void close() {
        closed = true;
        executor.shutdown();
        background.shutdown();
        if (pool != null) {
            pool.close();
        }
    }
}
