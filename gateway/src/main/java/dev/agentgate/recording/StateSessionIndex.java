package dev.agentgate.recording;

import dev.agentgate.state.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The session index in the state database (table {@code recorded_sessions}, migration V3), shared by a fleet. */
public final class StateSessionIndex implements SessionIndex {

    private static final String COLUMNS = "session_id, issuer, subject, target, gateway_instance, started_at,"
            + " ended_at, end_reason, statements, refused, status";

    private final StateDatabase database;

    public StateSessionIndex(StateDatabase database) {
        this.database = database;
    }

    @Override
    public void save(SessionSummary session) {
        database.inTransaction(connection -> {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE recorded_sessions SET"
                            + " issuer = ?, subject = ?, target = ?, gateway_instance = ?, started_at = ?,"
                            + " ended_at = ?, end_reason = ?, statements = ?, refused = ?, status = ?"
                            + " WHERE session_id = ?")) {
                        bind(update, session, 1);
                        update.setString(11, session.sessionId());
                        if (update.executeUpdate() > 0) {
                            return null;
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO recorded_sessions ("
                            + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setString(1, session.sessionId());
                        bind(insert, session, 2);
                        insert.executeUpdate();
                    }
                    return null;
                })
                .join();
    }

    private static void bind(PreparedStatement statement, SessionSummary session, int from) throws SQLException {
        statement.setString(from, session.issuer());
        statement.setString(from + 1, session.subject());
        statement.setString(from + 2, session.target());
        statement.setString(from + 3, session.gatewayInstance());
        setInstant(statement, from + 4, session.startedAt());
        setInstant(statement, from + 5, session.endedAt());
        statement.setString(from + 6, session.endReason());
        statement.setLong(from + 7, session.statements());
        statement.setLong(from + 8, session.refused());
        statement.setString(from + 9, session.status());
    }

    @Override
    public List<SessionSummary> list(Query query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM recorded_sessions WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (query.subject() != null) {
            sql.append(" AND subject = ?");
            values.add(query.subject());
        }
        if (query.target() != null) {
            sql.append(" AND target = ?");
            values.add(query.target());
        }
        if (query.since() != null) {
            sql.append(" AND started_at >= ?");
            values.add(query.since().toEpochMilli());
        }
        sql.append(" ORDER BY started_at DESC");
        return database.call(connection -> select(connection, sql.toString(), values, query.limit()))
                .join();
    }

    @Override
    public Optional<SessionSummary> find(String sessionId) {
        String sql = "SELECT " + COLUMNS + " FROM recorded_sessions WHERE session_id = ?";
        return database.call(connection -> select(connection, sql, List.of(sessionId), 1)).join().stream()
                .findFirst();
    }

    private static List<SessionSummary> select(Connection connection, String sql, List<Object> values, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            List<SessionSummary> sessions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next() && sessions.size() < limit) {
                    sessions.add(new SessionSummary(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            rows.getString(5),
                            instant(rows, 6),
                            instant(rows, 7),
                            rows.getString(8),
                            rows.getLong(9),
                            rows.getLong(10),
                            rows.getString(11)));
                }
            }
            return sessions;
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
