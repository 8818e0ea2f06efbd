package dev.agentgate.review;

import dev.agentgate.state.StateDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Playbacks in the state database (table {@code session_playbacks}), where every gateway of a fleet sees them. */
public final class StatePlaybackLog implements PlaybackLog {

    private final StateDatabase database;

    public StatePlaybackLog(StateDatabase database) {
        this.database = database;
    }

    @Override
    public CompletableFuture<Void> watched(Playback playback) {
        return database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO session_playbacks (id,"
                    + " session_id, viewer_issuer, viewer_subject, via, from_address, watched_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, playback.sessionId());
                insert.setString(3, playback.reviewer().issuer());
                insert.setString(4, playback.reviewer().subject());
                insert.setString(5, playback.reviewer().via().jsonName());
                insert.setString(6, playback.from());
                insert.setLong(7, playback.at().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Who watched {@code sessionId}, oldest first. */
    public CompletableFuture<List<Playback>> of(String sessionId) {
        return database.call(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT viewer_issuer, viewer_subject, via,"
                    + " from_address, watched_at FROM session_playbacks WHERE session_id = ? ORDER BY watched_at")) {
                select.setString(1, sessionId);
                List<Playback> playbacks = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        playbacks.add(new Playback(
                                sessionId,
                                new Reviewer(
                                        rows.getString(1),
                                        rows.getString(2),
                                        Reviewer.Via.valueOf(rows.getString(3).toUpperCase(java.util.Locale.ROOT))),
                                rows.getString(4),
                                Instant.ofEpochMilli(rows.getLong(5))));
                    }
                }
                return playbacks;
            }
        });
    }
}
