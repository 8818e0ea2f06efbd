package dev.agentgate.approval;

import dev.agentgate.state.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Counts one vote in one transaction. The first statement takes the request's row lock (and checks it is still
 * pending and open), so votes on one request are counted one after the other even across gateways; the request then
 * leaves {@code pending} by an UPDATE that only the deciding vote can win, and an approval writes its grant in the
 * same transaction.
 */
final class VoteCounting {

    /** What the transaction found; the record is read again afterwards for the caller. */
    enum Counted {
        COUNTED,
        DECIDED,
        ALREADY_VOTED,
        NOT_PENDING
    }

    private final StateDatabase database;

    VoteCounting(StateDatabase database) {
        this.database = database;
    }

    CompletableFuture<Counted> vote(ApprovalRequest request, Vote vote) {
        return database.inTransaction(connection -> {
            Instant at = vote.at();
            boolean approve = vote.verdict() == Verdict.APPROVE;
            if (!lockPending(connection, request.id(), approve, at)) {
                connection.rollback();
                return Counted.NOT_PENDING;
            }
            if (hasVoted(connection, request.id(), vote.approver())) {
                connection.rollback();
                return Counted.ALREADY_VOTED;
            }
            insertVote(connection, request.id(), vote);
            if (!decide(connection, request.id(), approve ? ApprovalState.APPROVED : ApprovalState.DENIED, at)) {
                return Counted.COUNTED;
            }
            if (approve) {
                insertGrant(connection, request, at);
            }
            return Counted.DECIDED;
        });
    }

    private static boolean lockPending(Connection connection, String id, boolean approve, Instant at)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE approval_requests"
                + " SET approvals = approvals + ? WHERE id = ? AND state = 'pending' AND expires_at > ?")) {
            update.setInt(1, approve ? 1 : 0);
            update.setString(2, id);
            update.setLong(3, at.toEpochMilli());
            return update.executeUpdate() == 1;
        }
    }

    private static boolean hasVoted(Connection connection, String id, Approver approver) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM approval_votes"
                + " WHERE request_id = ? AND approver_issuer = ? AND approver_subject = ?")) {
            query.setString(1, id);
            query.setString(2, approver.issuer());
            query.setString(3, approver.subject());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void insertVote(Connection connection, String id, Vote vote) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO approval_votes (request_id,"
                + " approver_issuer, approver_subject, approver_groups, via, verdict, voted_at, from_address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, vote.approver().issuer());
            insert.setString(3, vote.approver().subject());
            insert.setString(4, ApprovalRows.json(vote.approver().groups()));
            insert.setString(5, vote.approver().via().jsonName());
            insert.setString(6, vote.verdict().jsonName());
            insert.setLong(7, vote.at().toEpochMilli());
            insert.setString(8, vote.fromAddress());
            insert.executeUpdate();
        }
    }

    /** An approval decides only once enough approvals are counted; a deny decides at once. */
    private static boolean decide(Connection connection, String id, ApprovalState state, Instant at)
            throws SQLException {
        String quorum = state == ApprovalState.APPROVED ? " AND approvals >= min_approvals" : "";
        try (PreparedStatement update = connection.prepareStatement("UPDATE approval_requests SET state = ?,"
                + " decided_at = ? WHERE id = ? AND state = 'pending'" + quorum)) {
            update.setString(1, state.jsonName());
            update.setLong(2, at.toEpochMilli());
            update.setString(3, id);
            return update.executeUpdate() == 1;
        }
    }

    private static void insertGrant(Connection connection, ApprovalRequest request, Instant at) throws SQLException {
        String sha;
        try (PreparedStatement query =
                connection.prepareStatement("SELECT statement_sha256 FROM approval_requests WHERE id = ?")) {
            query.setString(1, request.id());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                sha = rows.getString(1);
            }
        }
        ApprovalRequest approved = request;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO approval_grants (request_id,"
                + " requester_issuer, requester_subject, target, database_name, statement_sha256, uses_left,"
                + " valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, approved.id());
            insert.setString(2, approved.requester().issuer());
            insert.setString(3, approved.requester().subject());
            insert.setString(4, approved.target());
            insert.setString(5, approved.database());
            insert.setString(6, sha);
            insert.setInt(7, approved.grantUses());
            insert.setLong(8, at.plus(approved.grantWindow()).toEpochMilli());
            insert.executeUpdate();
        }
    }
}
