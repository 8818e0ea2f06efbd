package dev.agentgate.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which process runs each {@code instance_id} of a fleet (table {@code instance_leases}, migration V9): one lease per
 * instance id, taken by inserting its row (the primary key lets one process win) or by taking over a row its holder
 * stopped renewing ({@code UPDATE ... WHERE holder = and renewed_at = the values read}, so one taker wins).
 */
public final class InstanceLeaseStore {

    /**
     * One instance's lease.
     *
     * @param holder random, one per process: tells this process's lease from another's with the same instance id
     * @param host where the holder runs, for the error a second process with the same instance id stops with
     */
    public record Lease(String instance, String holder, String host, Instant takenAt, Instant renewedAt) {
        public Lease {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(takenAt, "takenAt");
            Objects.requireNonNull(renewedAt, "renewedAt");
        }
    }

    private final StateDatabase database;

    public InstanceLeaseStore(StateDatabase database) {
        this.database = database;
    }

    /** The lease of {@code instance}, empty when no process holds it. */
    public CompletableFuture<Optional<Lease>> current(String instance) {
        return database.callInBackground(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT holder, host, taken_at, renewed_at" + " FROM instance_leases WHERE gateway_instance = ?")) {
                select.setString(1, instance);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new Lease(
                                    instance,
                                    rows.getString(1),
                                    rows.getString(2),
                                    Instant.ofEpochMilli(rows.getLong(3)),
                                    Instant.ofEpochMilli(rows.getLong(4))))
                            : Optional.<Lease>empty();
                }
            }
        });
    }

    /**
     * Takes {@code lease}: when {@code seen} is null, as the first holder (false when another process inserted the row
     * first), else over {@code seen} (false when its holder renewed it or another process took it over meanwhile).
     */
    public CompletableFuture<Boolean> take(Lease lease, Lease seen) {
        return database.call(connection -> {
            if (seen == null) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO instance_leases"
                        + " (gateway_instance, holder, host, taken_at, renewed_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, lease.instance());
                    insert.setString(2, lease.holder());
                    insert.setString(3, lease.host());
                    insert.setLong(4, lease.takenAt().toEpochMilli());
                    insert.setLong(5, lease.renewedAt().toEpochMilli());
                    return insert.executeUpdate() == 1;
                } catch (SQLException failed) {
                    // the drivers disagree on how a duplicate key is reported: whether the row is there now tells
                    if (exists(connection, lease.instance())) {
                        return false;
                    }
                    throw failed;
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE instance_leases SET holder = ?,"
                    + " host = ?, taken_at = ?, renewed_at = ? WHERE gateway_instance = ? AND holder = ?"
                    + " AND renewed_at = ?")) {
                update.setString(1, lease.holder());
                update.setString(2, lease.host());
                update.setLong(3, lease.takenAt().toEpochMilli());
                update.setLong(4, lease.renewedAt().toEpochMilli());
                update.setString(5, lease.instance());
                update.setString(6, seen.holder());
                update.setLong(7, seen.renewedAt().toEpochMilli());
                return update.executeUpdate() == 1;
            }
        });
    }

    private static boolean exists(Connection connection, String instance) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT 1 FROM instance_leases WHERE gateway_instance = ?")) {
            select.setString(1, instance);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Renews the lease {@code holder} holds; false when it holds it no longer (another process took it over). */
    public CompletableFuture<Boolean> renew(String instance, String holder, Instant now) {
        return database.callInBackground(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE instance_leases SET renewed_at = ? WHERE gateway_instance = ? AND holder = ?")) {
                update.setLong(1, now.toEpochMilli());
                update.setString(2, instance);
                update.setString(3, holder);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up (a replica stopping), so that a replica started with the same instance id takes it at once. */
    public CompletableFuture<Boolean> release(String instance, String holder) {
        return database.call(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM instance_leases WHERE gateway_instance = ? AND holder = ?")) {
                delete.setString(1, instance);
                delete.setString(2, holder);
                return delete.executeUpdate() == 1;
            }
        });
    }
}
