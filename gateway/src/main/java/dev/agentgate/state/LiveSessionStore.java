package dev.agentgate.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Which replica of a fleet holds which live session (table {@code live_sessions}, migration V7): written by the holder
 * when a session starts and ends, read by a replica asked to KILL a session it does not hold.
 */
public final class LiveSessionStore {

    /**
     * One live session.
     *
     * @param connectionId the fleet-unique id the client was greeted with
     * @param heartbeatAt when its holder last said it still holds it
     */
    public record LiveSession(
            long connectionId,
            String sessionId,
            String gatewayInstance,
            String issuer,
            String subject,
            String target,
            long backendThreadId,
            Instant startedAt,
            Instant heartbeatAt) {
        public LiveSession {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(gatewayInstance, "gatewayInstance");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        }
    }

    private static final String COLUMNS = "connection_id, session_id, gateway_instance, issuer, subject, target,"
            + " backend_thread_id, started_at, heartbeat_at";

    private final StateDatabase database;

    public LiveSessionStore(StateDatabase database) {
        this.database = database;
    }

    /** Adds the session; one left by an earlier holder of the same id (a replica that died) is replaced. */
    public CompletableFuture<Void> add(LiveSession session) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM live_sessions WHERE connection_id = ?")) {
                delete.setLong(1, session.connectionId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO live_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, session.connectionId());
                insert.setString(2, session.sessionId());
                insert.setString(3, session.gatewayInstance());
                insert.setString(4, session.issuer());
                insert.setString(5, session.subject());
                insert.setString(6, session.target());
                insert.setLong(7, session.backendThreadId());
                insert.setLong(8, session.startedAt().toEpochMilli());
                insert.setLong(9, session.heartbeatAt().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Removes the session {@code instance} held under {@code connectionId}; a row of another holder stays. */
    public CompletableFuture<Integer> remove(long connectionId, String instance) {
        return update(
                "DELETE FROM live_sessions WHERE connection_id = ? AND gateway_instance = ?", connectionId, instance);
    }

    /** Every session of {@code instance} (one that started again after it died holds none of them). */
    public CompletableFuture<Integer> removeAll(String instance) {
        return update("DELETE FROM live_sessions WHERE gateway_instance = ?", instance);
    }

    /** {@code instance} still holds its sessions. */
    public CompletableFuture<Integer> heartbeat(String instance, Instant now) {
        return database.callInBackground(updating(
                "UPDATE live_sessions SET heartbeat_at = ? WHERE gateway_instance = ?", now.toEpochMilli(), instance));
    }

    /**
     * The sessions a KILL of {@code id} from a session on {@code target} may name, whose holder renewed them at or
     * after {@code aliveSince}: the one greeted with connection id {@code id}, and the one whose backend thread on
     * {@code target} is {@code id}.
     */
    public CompletableFuture<List<LiveSession>> named(long id, String target, Instant aliveSince) {
        return database.call(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM live_sessions"
                    + " WHERE (connection_id = ? OR (backend_thread_id = ? AND target = ?)) AND heartbeat_at >= ?"
                    + " ORDER BY connection_id")) {
                select.setLong(1, id);
                select.setLong(2, id);
                select.setString(3, target);
                select.setLong(4, aliveSince.toEpochMilli());
                List<LiveSession> sessions = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(new LiveSession(
                                rows.getLong(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getString(5),
                                rows.getString(6),
                                rows.getLong(7),
                                Instant.ofEpochMilli(rows.getLong(8)),
                                Instant.ofEpochMilli(rows.getLong(9))));
                    }
                }
                return sessions;
            }
        });
    }

    private CompletableFuture<Integer> update(String sql, Object... values) {
        return database.call(updating(sql, values));
    }

    private static SqlWork<Integer> updating(String sql, Object... values) {
        return connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                return statement.executeUpdate();
            }
        };
    }
}
