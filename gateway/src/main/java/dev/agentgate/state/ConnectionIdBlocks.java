package dev.agentgate.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The blocks of connection ids the replicas of a fleet hand out (table {@code connection_id_blocks}, migration V7): a
 * replica greets clients only with ids of blocks it claimed, so no two replicas ever give out the same id. Block
 * numbers run from 0 to {@code blocks - 1}; which ids a number stands for is the caller's business.
 */
public final class ConnectionIdBlocks {

    /** Tries before a claim that keeps losing races counts as failed. */
    private static final int ATTEMPTS = 20;

    private final StateDatabase database;
    private final int blocks;

    /** @param blocks how many blocks there are */
    public ConnectionIdBlocks(StateDatabase database, int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("there must be at least one block, was " + blocks);
        }
        this.database = database;
        this.blocks = blocks;
    }

    /**
     * Claims a block for {@code instance}: the next never claimed one, else, once all were handed out, the one renewed
     * longest ago if that is before {@code now - staleAfter} (its owner is gone). Completes with the block's number,
     * or fails when every block is in use.
     */
    public CompletableFuture<Integer> claim(String instance, Instant now, Duration staleAfter) {
        return database.call(connection -> {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Integer claimed = tryClaim(connection, instance, now, now.minus(staleAfter));
                if (claimed != null) {
                    return claimed;
                }
            }
            throw new SQLException("could not claim a block of connection ids in " + ATTEMPTS + " tries: all " + blocks
                    + " blocks are in use (renewed within " + staleAfter + ")");
        });
    }

    /** Null when another replica won the race (try again), or when no block is free (then it throws). */
    private Integer tryClaim(Connection connection, String instance, Instant now, Instant staleBefore)
            throws SQLException {
        long highest;
        try (PreparedStatement max = connection.prepareStatement("SELECT MAX(block_no) FROM connection_id_blocks");
                ResultSet rows = max.executeQuery()) {
            rows.next();
            highest = rows.getLong(1);
            highest = rows.wasNull() ? -1 : highest;
        }
        if (highest + 1 < blocks) {
            return insert(connection, (int) (highest + 1), instance, now) ? (int) (highest + 1) : null;
        }
        int oldest;
        long renewedAt;
        try (PreparedStatement stale = connection.prepareStatement("SELECT block_no, renewed_at FROM"
                + " connection_id_blocks WHERE renewed_at < ? ORDER BY renewed_at, block_no LIMIT 1")) {
            stale.setLong(1, staleBefore.toEpochMilli());
            try (ResultSet rows = stale.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("all " + blocks + " blocks of connection ids are in use");
                }
                oldest = rows.getInt(1);
                renewedAt = rows.getLong(2);
            }
        }
        try (PreparedStatement takeOver = connection.prepareStatement("UPDATE connection_id_blocks SET"
                + " gateway_instance = ?, claimed_at = ?, renewed_at = ? WHERE block_no = ? AND renewed_at = ?")) {
            takeOver.setString(1, instance);
            takeOver.setLong(2, now.toEpochMilli());
            takeOver.setLong(3, now.toEpochMilli());
            takeOver.setInt(4, oldest);
            takeOver.setLong(5, renewedAt);
            return takeOver.executeUpdate() == 1 ? oldest : null;
        }
    }

    /** False when another replica inserted the block first. */
    private static boolean insert(Connection connection, int block, String instance, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO connection_id_blocks"
                + " (block_no, gateway_instance, claimed_at, renewed_at) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, block);
            insert.setString(2, instance);
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, now.toEpochMilli());
            insert.executeUpdate();
            return true;
        } catch (SQLException failed) {
            // The drivers disagree on how a duplicate key is reported: whether the row is there now tells.
            if (exists(connection, block)) {
                return false;
            }
            throw failed;
        }
    }

    private static boolean exists(Connection connection, int block) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT 1 FROM connection_id_blocks WHERE block_no = ?")) {
            select.setInt(1, block);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Marks {@code owned} as still in use by {@code instance}; blocks another replica took over are left alone. */
    public CompletableFuture<Integer> renew(String instance, Collection<Integer> owned, Instant now) {
        return database.callInBackground(connection -> {
            int renewed = 0;
            try (PreparedStatement update = connection.prepareStatement("UPDATE connection_id_blocks SET renewed_at = ?"
                    + " WHERE block_no = ? AND gateway_instance = ?")) {
                for (int block : owned) {
                    update.setLong(1, now.toEpochMilli());
                    update.setInt(2, block);
                    update.setString(3, instance);
                    renewed += update.executeUpdate();
                }
            }
            return renewed;
        });
    }

    /** The instance that holds {@code block} now, null when it was never claimed. */
    public CompletableFuture<String> owner(int block) {
        return database.call(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT gateway_instance FROM connection_id_blocks WHERE block_no = ?")) {
                select.setInt(1, block);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        });
    }
}
