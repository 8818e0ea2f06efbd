package dev.agentgate.session;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One thing that happened in a client session, as the gateway saw it. Every event of a session passes one {@link
 * SessionEvents} sink, in the order it happened, so approvals, recording and audit plug in there and the relay does
 * not grow with each of them. Events carry no Netty types; what they hold is immutable (byte payloads are read-only
 * copies the sink may keep).
 */
public sealed interface SessionEvent {

    String sessionId();

    Instant at();

    /**
     * The session passed login and is connected to its target.
     *
     * @param tlsProtocol the client connection's TLS protocol (e.g. {@code TLSv1.3}), null without TLS
     * @param policyRevision the revision of the policy bundle OPA answered with last, null when unknown
     * @param login the session-level decision that admitted the session
     */
    record Started(
            String sessionId,
            Instant at,
            Identity identity,
            SessionFacts facts,
            String tlsProtocol,
            String policyRevision,
            String gatewayInstance,
            LoginDecision login)
            implements SessionEvent {
        public Started {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(login, "login");
        }

        /** A session no policy decided at login. */
        public Started(
                String sessionId,
                Instant at,
                Identity identity,
                SessionFacts facts,
                String tlsProtocol,
                String policyRevision,
                String gatewayInstance) {
            this(sessionId, at, identity, facts, tlsProtocol, policyRevision, gatewayInstance, LoginDecision.UNDECIDED);
        }
    }

    /**
     * A client command was taken up (pipelined commands are taken up one at a time, in order).
     *
     * @param commandNo 1 for the session's first command, counting up; names the command in later events
     * @param commandType the protocol command, e.g. {@code COM_QUERY}, {@code COM_STMT_EXECUTE}
     * @param sql the statement text for COM_QUERY and COM_STMT_PREPARE; for COM_STMT_EXECUTE the prepared text;
     *     else null
     * @param parameters the bound values of a COM_STMT_EXECUTE (and its long data), as text (null for SQL NULL);
     *     empty for other commands
     */
    record CommandReceived(
            String sessionId, Instant at, long commandNo, String commandType, String sql, List<String> parameters)
            implements SessionEvent {
        public CommandReceived {
            parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(parameters);
        }
    }

    /**
     * The policy decided the command (commands the policy does not decide, such as COM_PING, have no such event).
     *
     * @param action the outcome for the command as a whole: {@code allow}, {@code mask}, {@code deny} or {@code
     *     require_approval}
     * @param statements the statements as the policy saw them
     * @param decisions every decision taken for the command, in order
     * @param policyInputs the exact OPA input documents the decisions were made with (JSON text), one per decision,
     *     also for a decision taken from the cache (the input it would have been asked with); computed on demand
     *     from immutable facts, so a sink may call it on its own thread
     * @param policyRevision the revision of the policy bundle(s) OPA answered with last when the command was decided
     *     (its provenance), null when unknown
     */
    record CommandDecided(
            String sessionId,
            Instant at,
            long commandNo,
            String action,
            String reason,
            List<StatementFacts> statements,
            List<Decision> decisions,
            Supplier<List<String>> policyInputs,
            String policyRevision)
            implements SessionEvent {
        public CommandDecided {
            statements = List.copyOf(statements);
            decisions = List.copyOf(decisions);
            Objects.requireNonNull(policyInputs, "policyInputs");
        }

        /** A command decided by a policy of no known revision. */
        public CommandDecided(
                String sessionId,
                Instant at,
                long commandNo,
                String action,
                String reason,
                List<StatementFacts> statements,
                List<Decision> decisions,
                Supplier<List<String>> policyInputs) {
            this(sessionId, at, commandNo, action, reason, statements, decisions, policyInputs, null);
        }
    }

    /**
     * A statement that needed approval was decided by people, or expired.
     *
     * @param outcome {@code approved}, {@code denied}, {@code expired} or {@code cancelled}
     * @param approvers who decided it ({@code issuer|subject}, or {@code slack:<user id>})
     */
    record ApprovalResolved(
            String sessionId, Instant at, long commandNo, String requestId, String outcome, List<String> approvers)
            implements SessionEvent {
        public ApprovalResolved {
            approvers = List.copyOf(approvers);
        }
    }

    /**
     * One packet of the response exactly as it was written to the client (after masking), without its 4-byte
     * header. Sent only to a sink whose {@link SessionEvents#responseBudget()} it fits in.
     */
    record ResponsePacket(String sessionId, Instant at, long commandNo, ByteBuffer payload) implements SessionEvent {
        public ResponsePacket {
            payload = payload.asReadOnlyBuffer();
        }
    }

    /**
     * The command is done: its response reached the client, or it was refused.
     *
     * @param outcome {@code ok} (an OK, EOF or a result set ended well), {@code error} (the server's ERR), or {@code
     *     refused} (the gateway's own ERR; the backend never saw the command)
     * @param errorCode the ERR's code, 0 when none
     * @param rows result rows relayed to the client
     * @param bytes response bytes relayed to the client
     * @param responseCut the response packets (and their bytes) not sent as {@link ResponsePacket}s because they were
     *     beyond the sink's {@link SessionEvents#responseBudget()}
     */
    record CommandCompleted(
            String sessionId,
            Instant at,
            long commandNo,
            String outcome,
            long affectedRows,
            int warnings,
            int errorCode,
            String errorMessage,
            long rows,
            long bytes,
            Duration elapsed,
            ResponseBudget.Cut responseCut)
            implements SessionEvent {
        public CommandCompleted {
            responseCut = responseCut == null ? ResponseBudget.Cut.NONE : responseCut;
        }
    }

    /**
     * COM_CHANGE_USER handed the session to another identity (a connection pool's next user): every later command is
     * decided for it.
     *
     * @param decision the session-level decision that admitted the new identity, as at login
     */
    record IdentityChanged(String sessionId, Instant at, Identity identity, LoginDecision decision)
            implements SessionEvent {
        public IdentityChanged {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * The session ended.
     *
     * @param reason what ended it
     * @param detail the words the client was told, or the log's, null when none
     */
    record Ended(String sessionId, Instant at, EndReason reason, String detail) implements SessionEvent {}

    /** Why a session ended. */
    enum EndReason {
        CLIENT_QUIT,
        CLIENT_DISCONNECTED,
        TOKEN_EXPIRED,
        MAX_DURATION,
        /** The approval grant that let the session in (just-in-time access at login) ran out. */
        GRANT_ENDED,
        IDLE_TIMEOUT,
        KILLED,
        GATEWAY_SHUTDOWN,
        BACKEND_LOST,
        PROTOCOL_ERROR
    }
}
