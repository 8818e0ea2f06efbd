package dev.agentgate.approval;

import dev.agentgate.state.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Approval requests, votes and grants in the state database. A request leaves {@code pending} exactly once, by an
 * {@code UPDATE ... WHERE state = 'pending'} that only one caller can win, however many gateways share the
 * database; a grant is used by an {@code UPDATE ... WHERE uses_left > 0}.
 */
final class ApprovalStore {

    private final StateDatabase database;

    ApprovalStore(StateDatabase database) {
        this.database = database;
    }

    CompletableFuture<Void> insert(ApprovalRequest request, HeldBy heldBy) {
        return database.call(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(ApprovalRows.insertRequest())) {
                ApprovalRows.bind(insert, request, heldBy);
                insert.executeUpdate();
            }
            return null;
        });
    }

    CompletableFuture<Optional<ApprovalRecord>> find(String id) {
        return database.call(connection -> {
            List<ApprovalRecord> found = select(connection, "WHERE id = ?", List.of(id));
            return found.stream().findFirst();
        });
    }

    CompletableFuture<List<ApprovalRecord>> pending() {
        return database.call(
                connection -> select(connection, "WHERE state = 'pending' ORDER BY requested_at", List.of()));
    }

    CompletableFuture<List<ApprovalRecord>> history(int limit) {
        return database.call(connection -> select(
                connection,
                "WHERE state <> 'pending' ORDER BY decided_at DESC LIMIT " + Math.max(1, Math.min(limit, 1000)),
                List.of()));
    }

    /** The states of {@code ids} now; ids not found are missing from the map. */
    CompletableFuture<Map<String, ApprovalState>> states(Collection<String> ids) {
        return database.callInBackground(connection -> {
            Map<String, ApprovalState> states = new HashMap<>();
            String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, state FROM approval_requests WHERE id IN (" + marks + ")")) {
                int i = 1;
                for (String id : ids) {
                    query.setString(i++, id);
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        states.put(rows.getString(1), ApprovalState.of(rows.getString(2)));
                    }
                }
            }
            return states;
        });
    }

    /** Moves a pending request to {@code state} (expired, cancelled); false when it had left pending already. */
    CompletableFuture<Boolean> finish(String id, ApprovalState state, Instant at) {
        return database.call(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE approval_requests SET state = ?, decided_at = ? WHERE id = ? AND state = 'pending'")) {
                update.setString(1, state.jsonName());
                update.setLong(2, at.toEpochMilli());
                update.setString(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** The id of a request of this key still pending and open at {@code now}, if any. */
    CompletableFuture<Optional<String>> openRequest(GrantKey key, Instant now) {
        return database.call(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT id, database_name FROM approval_requests"
                    + " WHERE statement_sha256 = ? AND requester_issuer = ? AND requester_subject = ? AND target = ?"
                    + " AND state = 'pending' AND expires_at > ? ORDER BY requested_at")) {
                bindKey(query, key);
                query.setLong(5, now.toEpochMilli());
                return firstWithDatabase(query, key.database());
            }
        });
    }

    /**
     * Uses one run of a valid grant for {@code key}, if there is one; completes with the id of the request that
     * granted it.
     */
    CompletableFuture<Optional<String>> useGrant(GrantKey key, Instant now) {
        return database.call(connection -> {
            Optional<String> candidate;
            try (PreparedStatement query = connection.prepareStatement("SELECT request_id, database_name"
                    + " FROM approval_grants WHERE statement_sha256 = ? AND requester_issuer = ?"
                    + " AND requester_subject = ? AND target = ? AND uses_left > 0 AND valid_until > ?"
                    + " ORDER BY valid_until")) {
                bindKey(query, key);
                query.setLong(5, now.toEpochMilli());
                candidate = firstWithDatabase(query, key.database());
            }
            return candidate.isPresent() && useGrantOf(connection, candidate.get(), now)
                    ? candidate
                    : Optional.<String>empty();
        });
    }

    /** When the grant of request {@code id} ends; empty when it has none. */
    CompletableFuture<Optional<Instant>> grantEnd(String id) {
        return database.call(connection -> {
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT valid_until FROM approval_grants WHERE request_id = ?")) {
                query.setString(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** Uses one run of the grant of request {@code id}: how a held statement runs once approved. */
    CompletableFuture<Boolean> useGrantOf(String id, Instant now) {
        return database.call(connection -> useGrantOf(connection, id, now));
    }

    private static boolean useGrantOf(Connection connection, String id, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE approval_grants SET uses_left = uses_left"
                + " - 1 WHERE request_id = ? AND uses_left > 0 AND valid_until > ?")) {
            update.setString(1, id);
            update.setLong(2, now.toEpochMilli());
            return update.executeUpdate() == 1;
        }
    }

    private static void bindKey(PreparedStatement query, GrantKey key) throws SQLException {
        query.setString(1, key.statementSha256());
        query.setString(2, key.issuer());
        query.setString(3, key.subject());
        query.setString(4, key.target());
    }

    /** Database names compare in Java: SQL's {@code =} never matches NULL, and a session may have no database. */
    private static Optional<String> firstWithDatabase(PreparedStatement query, String database) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                if (java.util.Objects.equals(rows.getString(2), database)) {
                    return Optional.of(rows.getString(1));
                }
            }
        }
        return Optional.empty();
    }

    static List<ApprovalRecord> select(Connection connection, String where, List<String> parameters)
            throws SQLException {
        List<ApprovalRequest> requests = new ArrayList<>();
        List<ApprovalState> states = new ArrayList<>();
        List<Instant> decidedAt = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + ApprovalRows.REQUEST_COLUMNS + " FROM approval_requests " + where)) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    requests.add(ApprovalRows.request(rows));
                    states.add(ApprovalState.of(rows.getString("state")));
                    long decided = rows.getLong("decided_at");
                    decidedAt.add(rows.wasNull() ? null : Instant.ofEpochMilli(decided));
                }
            }
        }
        List<ApprovalRecord> records = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Vote> votes = votes(connection, requests.get(i).id());
            ApprovalState state = states.get(i);
            ApprovalOutcome outcome =
                    state.isFinal() ? new ApprovalOutcome(requests.get(i).id(), state, decidedAt.get(i), votes) : null;
            records.add(new ApprovalRecord(requests.get(i), state, outcome, votes));
        }
        return records;
    }

    private static List<Vote> votes(Connection connection, String id) throws SQLException {
        List<Vote> votes = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT * FROM approval_votes WHERE request_id = ? ORDER BY voted_at, approver_subject")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    votes.add(ApprovalRows.vote(rows));
                }
            }
        }
        return votes;
    }
}
