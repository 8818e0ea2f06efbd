package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.approval.ApprovalAnswer;
import dev.agentgate.approval.ApprovalFlow;
import dev.agentgate.approval.ApprovalRequests;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The gate's step for a command with a statement the policy sends for approval: the statement's request goes
 * through the {@link ApprovalFlow}, and the command proceeds only when it grants the statement. One such statement
 * per command, sent as a plain query: a prepared statement would run again and again on one approval.
 */
public final class ApprovalStep {

    /** For a gateway without approvals: such statements are refused. */
    public static final ApprovalStep DISABLED =
            new ApprovalStep(null, null, RowEstimates.NONE, sessionId -> Optional.empty());

    private final ApprovalFlow flow;
    private final ApprovalRequests requests;
    private final RowEstimates rows;
    private final Function<String, Optional<SessionControl>> sessions;

    /**
     * @param rows counts the rows an UPDATE or DELETE would change, for the request
     * @param sessions the live session of a session id, told how people decided its statement's request
     */
    public ApprovalStep(
            ApprovalFlow flow,
            ApprovalRequests requests,
            RowEstimates rows,
            Function<String, Optional<SessionControl>> sessions) {
        this.flow = flow;
        this.requests = requests;
        this.rows = rows;
        this.sessions = sessions;
    }

    /**
     * Completes with a refusal, or with a proceed whose decisions have the approved statement's decision replaced by
     * an allow that names the request (for the session's record); never exceptionally.
     */
    CompletableFuture<GateResult> decide(
            Identity identity,
            List<SessionFacts> sessions,
            PolicyQuestion question,
            List<StatementFacts> statements,
            List<Decision> decisions,
            CompletableFuture<Void> clientGone) {
        List<Integer> waiting = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Decision.RequireApproval) {
                waiting.add(i);
            }
        }
        int index = waiting.get(0);
        Decision.RequireApproval decision = (Decision.RequireApproval) decisions.get(index);
        String which = DenyMessages.which(index, decisions.size());
        if (flow == null) {
            return refuse(decision, which, "approvals are not enabled on this gateway");
        }
        if (!"query".equals(question.type()) || statements.size() != decisions.size()) {
            return refuse(
                    decision, which, "a statement that needs approval cannot be prepared; send it as a plain query");
        }
        if (waiting.size() > 1) {
            return refuse(
                    decision,
                    which,
                    waiting.size() + " statements of this command need approval; send each on its own");
        }
        SessionFacts session = sessions.get(index);
        StatementFacts statement = statements.get(index);
        // Only what approvers are shown is checked, so a count is taken only when the statement is the whole command.
        CompletableFuture<Long> estimate =
                statements.size() == 1 ? rows.estimate(session, statement) : CompletableFuture.completedFuture(null);
        return estimate.thenCompose(counted -> {
                    ApprovalRequests.Made made = requests.make(identity, session, statement, decision, counted);
                    return flow.ask(identity, made.request(), made.heldBy(), clientGone);
                })
                .thenApply(answer -> {
                    tellSession(session.sessionId(), answer);
                    return answer instanceof ApprovalAnswer.Granted granted
                            ? proceed(statements, decisions, index, decision, granted)
                            : new GateResult.Refuse(
                                    StatementGate.ACCESS_DENIED,
                                    StatementGate.ACCESS_DENIED_STATE,
                                    which + ((ApprovalAnswer.Refused) answer).message(),
                                    decision);
                });
    }

    /** Before the verdict completes, so that the session records the resolution with the command it decides. */
    private void tellSession(String sessionId, ApprovalAnswer answer) {
        ApprovalAnswer.Resolution resolution = answer.resolution();
        String requestId = answer instanceof ApprovalAnswer.Granted granted
                ? granted.requestId()
                : ((ApprovalAnswer.Refused) answer).requestId();
        if (resolution != null && requestId != null) {
            sessions.apply(sessionId)
                    .ifPresent(control ->
                            control.approvalResolved(requestId, resolution.outcome(), resolution.approvers()));
        }
    }

    private static GateResult proceed(
            List<StatementFacts> statements,
            List<Decision> decisions,
            int index,
            Decision.RequireApproval decision,
            ApprovalAnswer.Granted granted) {
        List<Decision> approved = new ArrayList<>(decisions);
        approved.set(
                index,
                new Decision.Allow(
                        "approved (request " + granted.requestId() + " by " + granted.approvedBy() + "): "
                                + decision.reason(),
                        decision.decisionId(),
                        Decision.Obligations.NONE,
                        Decision.Caching.NEVER));
        StatementType type = statements.get(index).type();
        boolean checked = granted.approvedRows() != null
                && statements.size() == 1
                && (type == StatementType.UPDATE || type == StatementType.DELETE);
        return new GateResult.Proceed(statements, approved)
                .withApprovedRows(checked ? new ApprovedRows(granted.requestId(), granted.approvedRows()) : null);
    }

    private static CompletableFuture<GateResult> refuse(Decision decision, String which, String problem) {
        return CompletableFuture.completedFuture(new GateResult.Refuse(
                StatementGate.ACCESS_DENIED,
                StatementGate.ACCESS_DENIED_STATE,
                DenyMessages.approvalImpossible(decision, which, problem),
                decision));
    }
}
