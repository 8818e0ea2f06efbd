package dev.agentgate.transport;

import dev.agentgate.analysis.LexingMode;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.enforcement.DatabaseChanges;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.StatementGate;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionFacts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy step of one session's commands: puts each command the {@link CommandFilter} forwards through the
 * {@link StatementGate} and hands the outcome to its {@link Outcome} (the relay): forward the frame, or refuse it
 * with an error. It also keeps the session's facts as the policy sees them (the current database): a forwarded
 * command's changes take effect only once its response tells that it succeeded.
 *
 * <p>One command is decided at a time; the relay holds the later ones back while {@link #isDeciding()}. A
 * decision that is already made (a cached one) is handled at once, on the calling thread: that is the path of
 * nearly every statement (thousands a second per core), so it takes no task hop and must not allocate. Any other
 * decision completes on an arbitrary thread and is handled back on the session's event loop; both channels of the
 * session share that loop, and all state here is confined to it.
 */
final class PolicyCheckpoint {

    /** Where a command goes once decided. */
    interface Outcome {

        /** @param proceed the policy's verdict, null for a command it does not decide */
        void forward(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed);

        /** The command was refused and its frame released; the client gets {@code error}, the session goes on. */
        void refused(ErrPacket error, int responseSequenceId);

        /** The policy's verdict on the command came (before it is forwarded or refused). */
        default void decided(GateResult verdict) {}
    }

    private static final Logger log = LoggerFactory.getLogger(PolicyCheckpoint.class);

    /** A gate that completes exceptionally gave no verdict: fail closed. */
    private static final GateResult.Refuse NO_VERDICT =
            new GateResult.Refuse(1142, "42000", "Access denied by agentgate: no policy verdict", null);

    private final StatementGate gate;
    private Identity identity;
    private final PreparedStatements prepared;
    private final ClientConnection connection;
    private final Outcome outcome;
    private SessionFacts facts;
    private SessionFacts factsAfterSuccess;
    /** The statements of the command in flight, as the policy saw them; empty when it decided none. */
    private List<StatementFacts> statementsInFlight = List.of();

    private boolean deciding;
    /** The decision being waited for, else null. */
    private CompletableFuture<GateResult> decision;

    /** @param gate null when policy is disabled (dev mode): every command is forwarded undecided */
    PolicyCheckpoint(
            StatementGate gate,
            Identity identity,
            SessionFacts facts,
            PreparedStatements prepared,
            ClientConnection connection,
            Outcome outcome) {
        this.gate = gate;
        this.identity = identity;
        this.facts = facts;
        this.prepared = prepared;
        this.connection = connection;
        this.outcome = outcome;
    }

    /** The session's current database, null when none. */
    /** The session as the policy sees it now. */
    SessionFacts facts() {
        return facts;
    }

    String database() {
        return facts.database();
    }

    boolean isDeciding() {
        return deciding;
    }

    /**
     * Decides a command the filter forwards, or forwards it undecided when there is nothing to decide.
     *
     * @param execution an EXECUTE to decide again with its bound values ({@link PreparedStatements#inspect}), else null
     */
    void check(CommandFilter.Verdict.Forward forward, PreparedStatements.Execution execution) {
        if (gate != null && execution != null) {
            // reask_on_execute: the EXECUTE is decided again, with its bound values.
            ask(new CommandFilter.Verdict.Forward(forward.frame(), forward.tracker(), execution.question()), execution);
        } else if (gate == null || forward.question() == null) {
            forward(forward.frame(), forward.tracker(), facts, null);
        } else {
            ask(forward, null);
        }
    }

    /** @param execution an EXECUTE decided with the facts of its PREPARE, else null */
    private void ask(CommandFilter.Verdict.Forward forward, PreparedStatements.Execution execution) {
        deciding = true;
        CompletableFuture<GateResult> decided = execution == null
                ? gate.check(identity, facts, forward.question())
                : execution.decide(gate, identity, facts);
        if (decided.isDone() && !decided.isCompletedExceptionally()) {
            // A cached decision: no need to go round the event loop's task queue, and the session's logging
            // context is still the current one.
            proceedOrRefuse(forward, decided.getNow(null));
            return;
        }
        decision = decided;
        decided.whenComplete(
                (result, error) -> connection.client().eventLoop().execute(() -> onGateResult(forward, result)));
    }

    /**
     * The session closed: the decision being waited for is cancelled (its frame is released when the cancellation comes
     * round), so that a verdict arriving later, however late, is never forwarded.
     */
    void abandon() {
        if (decision != null) {
            decision.cancel(false);
            decision = null;
        }
    }

    private void onGateResult(CommandFilter.Verdict.Forward forward, GateResult result) {
        connection.enterLogContext();
        proceedOrRefuse(forward, result);
    }

    private void proceedOrRefuse(CommandFilter.Verdict.Forward forward, GateResult result) {
        deciding = false;
        decision = null;
        MySQLFrame frame = forward.frame();
        if (connection.isClosed()) {
            frame.release();
            return;
        }
        GateResult verdict = result == null ? NO_VERDICT : result;
        outcome.decided(verdict);
        if (result instanceof GateResult.Proceed proceed) {
            if ("prepare".equals(forward.question().type())) {
                prepared.preparing(forward.question().sql(), proceed);
            }
            forward(frame, forward.tracker(), factsAfter(forward.question(), proceed), proceed);
            return;
        }
        GateResult.Refuse refuse = result instanceof GateResult.Refuse r ? r : NO_VERDICT;
        log.info("statement refused: {}", refuse.message());
        int responseSequenceId = frame.sequenceId() + frame.chunkCount();
        frame.release();
        outcome.refused(new ErrPacket(refuse.errorCode(), refuse.sqlState(), refuse.message()), responseSequenceId);
    }

    private SessionFacts factsAfter(PolicyQuestion question, GateResult.Proceed proceed) {
        if ("init_db".equals(question.type())) {
            return facts.withDatabase((String) question.command().get("schema"));
        }
        SessionFacts after = facts;
        for (StatementFacts statement : proceed.statements()) {
            after = DatabaseChanges.after(statement, after);
        }
        return after;
    }

    private void forward(
            MySQLFrame frame, CommandResponseTracker tracker, SessionFacts factsOnSuccess, GateResult.Proceed proceed) {
        factsAfterSuccess = factsOnSuccess;
        statementsInFlight = proceed == null ? List.of() : proceed.statements();
        outcome.forward(frame, tracker, proceed);
    }

    /**
     * The server reported new values of the variables it tracks for the gateway: the next statement is read in the
     * mode they make, whether or not the command that changed them succeeds as a whole.
     */
    void sessionStateReported(Map<String, String> systemVariables) {
        facts = facts.withLexing(facts.lexing().afterReport(systemVariables));
        if (factsAfterSuccess != null) {
            factsAfterSuccess = factsAfterSuccess.withLexing(facts.lexing());
        }
    }

    /** The gateway can no longer follow how the server reads this session's SQL: every later statement is unreadable. */
    void lexingUntracked(String reason) {
        facts = facts.withLexing(facts.lexing().untracked(reason));
        if (factsAfterSuccess != null) {
            factsAfterSuccess = factsAfterSuccess.withLexing(facts.lexing());
        }
    }

    /** The backend session was reset and tracked again: its SQL is read in the mode the server just reported. */
    void lexingRestored(Map<String, String> trackedVariables) {
        facts = facts.withLexing(facts.lexing().afterReset(trackedVariables));
        if (factsAfterSuccess != null) {
            factsAfterSuccess = factsAfterSuccess.withLexing(facts.lexing());
        }
    }

    /** How the server reads this session's SQL now. */
    LexingMode lexing() {
        return facts.lexing();
    }

    /**
     * The command forwarded last succeeded: its changes to the session take effect, and DDL among its statements
     * makes the lineage's catalog forget what it read of those schemas before the DDL ran.
     */
    /** After COM_CHANGE_USER: every later command is decided for {@code changed}. */
    void changeIdentity(Identity changed) {
        identity = changed;
    }

    void succeeded() {
        facts = factsAfterSuccess;
        if (!statementsInFlight.isEmpty() && gate != null) {
            gate.schemaMayHaveChanged(facts.target(), statementsInFlight);
        }
    }

    /**
     * The command forwarded last failed. A stored program (CALL, EXECUTE, a compound statement) may have changed the
     * character set before it failed, and an error packet carries no session state: the gateway no longer knows how
     * the server reads this session's SQL.
     */
    void failed() {
        for (StatementFacts statement : statementsInFlight) {
            StatementType type = statement.type();
            boolean compound = type == StatementType.OTHER && statement.sql().regionMatches(true, 0, "BEGIN", 0, 5);
            if (type == StatementType.CALL || type == StatementType.EXECUTE || compound) {
                lexingUntracked("a " + type.jsonName()
                        + " statement failed after it may have changed the session's character set; reconnect");
                return;
            }
        }
    }
}
