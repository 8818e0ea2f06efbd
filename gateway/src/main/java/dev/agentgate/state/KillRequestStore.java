package dev.agentgate.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * KILLs sent to one replica of a fleet for a session another holds (table {@code kill_requests}, migrations V7 and V8).
 * The sender inserts the request, naming the replica that holds the session, and waits for it to be taken; the holder
 * finds the requests named for it (one indexed query), takes each once and carries it out; a request not taken in time is withdrawn, so that it is never carried out late.
 */
public final class KillRequestStore {

    /** What is killed: the running statement, or the whole session. */
    public enum Kind {
        QUERY,
        CONNECTION
    }

    /**
     * One request, as its sender made it.
     *
     * @param holderInstance the replica that held the session when the request was made (in {@link LiveSessionStore})
     */
    public record Request(
            String id,
            long connectionId,
            String holderInstance,
            String requesterIssuer,
            String requesterSubject,
            String requesterTarget,
            Kind kind,
            Instant requestedAt) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(holderInstance, "holderInstance");
            Objects.requireNonNull(requesterIssuer, "requesterIssuer");
            Objects.requireNonNull(requesterSubject, "requesterSubject");
            Objects.requireNonNull(requesterTarget, "requesterTarget");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(requestedAt, "requestedAt");
        }
    }

    /**
     * How the holder answered a request it took: {@code taken} (being carried out: the answer follows, see
     * {@link #settle}), {@code done} (carried out), {@code failed} (its backend did not carry it out), {@code denied}
     * (the session is not the requester's) or {@code unknown} (the session ended), with what the requester's client is
     * told.
     */
    public record Answer(String outcome, String detail) {
        public static final String TAKEN = "taken";
        public static final String DONE = "done";
        public static final String FAILED = "failed";
        public static final String DENIED = "denied";
        public static final String UNKNOWN = "unknown";

        /** Taken, and being carried out on the session's backend. */
        public static final Answer CARRYING_OUT = new Answer(TAKEN, null);

        public Answer {
            Objects.requireNonNull(outcome, "outcome");
        }

        public boolean done() {
            return DONE.equals(outcome);
        }

        /** False while the holder carries the request out: its final answer is still to come. */
        public boolean settled() {
            return !TAKEN.equals(outcome);
        }
    }

    private final StateDatabase database;

    public KillRequestStore(StateDatabase database) {
        this.database = database;
    }

    public CompletableFuture<Void> add(Request request) {
        return database.call(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kill_requests (id, connection_id,"
                    + " holder_instance, requester_issuer, requester_subject, requester_target, kind, requested_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, request.id());
                insert.setLong(2, request.connectionId());
                insert.setString(3, request.holderInstance());
                insert.setString(4, request.requesterIssuer());
                insert.setString(5, request.requesterSubject());
                insert.setString(6, request.requesterTarget());
                insert.setString(7, request.kind().name());
                insert.setLong(8, request.requestedAt().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The requests not yet taken named for {@code instance}, oldest first: also those for a session that ended since
     * they were made (the holder answers them as unknown), so that their senders are not left waiting.
     */
    public CompletableFuture<List<Request>> untakenFor(String instance) {
        return database.callInBackground(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, connection_id, holder_instance,"
                    + " requester_issuer, requester_subject, requester_target, kind, requested_at FROM kill_requests"
                    + " WHERE holder_instance = ? AND taken_at IS NULL ORDER BY requested_at, id")) {
                select.setString(1, instance);
                List<Request> requests = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        requests.add(new Request(
                                rows.getString(1),
                                rows.getLong(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getString(5),
                                rows.getString(6),
                                Kind.valueOf(rows.getString(7)),
                                Instant.ofEpochMilli(rows.getLong(8))));
                    }
                }
                return requests;
            }
        });
    }

    /** Takes the request with {@code answer}; false when it was taken or withdrawn already (one taker wins). */
    public CompletableFuture<Boolean> take(String id, Answer answer, Instant at) {
        return database.callInBackground(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE kill_requests SET taken_at = ?,"
                    + " outcome = ?, detail = ? WHERE id = ? AND taken_at IS NULL")) {
                update.setLong(1, at.toEpochMilli());
                update.setString(2, answer.outcome());
                update.setString(3, answer.detail());
                update.setString(4, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** The final answer of a request taken {@link Answer#CARRYING_OUT}; false when it was not taken so. */
    public CompletableFuture<Boolean> settle(String id, Answer answer) {
        return database.call(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE kill_requests SET outcome = ?, detail = ? WHERE id = ? AND outcome = ?")) {
                update.setString(1, answer.outcome());
                update.setString(2, answer.detail());
                update.setString(3, id);
                update.setString(4, Answer.TAKEN);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** The holder's answer once it took the request; empty while it is not taken (or when there is no such request). */
    public CompletableFuture<Optional<Answer>> answer(String id) {
        return database.call(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT outcome, detail FROM kill_requests WHERE id = ? AND taken_at IS NOT NULL")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new Answer(rows.getString(1), rows.getString(2)))
                            : Optional.<Answer>empty();
                }
            }
        });
    }

    /** Withdraws a request not yet taken; false when it was taken first (then its {@link #answer} counts). */
    public CompletableFuture<Boolean> withdraw(String id) {
        return database.call(connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM kill_requests WHERE id = ? AND taken_at IS NULL")) {
                delete.setString(1, id);
                return delete.executeUpdate() == 1;
            }
        });
    }

    /** Forgets requests made before {@code before}: their senders stopped waiting long ago. */
    public CompletableFuture<Integer> prune(Instant before) {
        return database.callInBackground(connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM kill_requests WHERE requested_at < ?")) {
                delete.setLong(1, before.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }
}
