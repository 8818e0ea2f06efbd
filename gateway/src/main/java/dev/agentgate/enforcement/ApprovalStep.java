package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.approval.ApprovalAnswer;
import dev.agentgate.approval.ApprovalFlow;
import dev.agentgate.approval.ApprovalRequests;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gate's step for a command with a statement the policy sends for approval: the statement's request goes
 * through the {@link ApprovalFlow}, and the command proceeds only when it grants the statement. One such statement
 * per command, sent as a plain query: a prepared statement would run again and again on one approval.
 */
public final class ApprovalStep {

    /** For a gateway without approvals: such statements are refused. */
    public static final ApprovalStep DISABLED = new ApprovalStep(null, null, RowEstimates.NONE);

    private final ApprovalFlow flow;
    private final ApprovalRequests requests;
    private final RowEstimates rows;

    /** @param rows counts the rows an UPDATE or DELETE would change, for the request */
    public ApprovalStep(ApprovalFlow flow, ApprovalRequests requests, RowEstimates rows) {
        this.flow = flow;
        this.requests = requests;
        this.rows = rows;
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
        return rows.estimate(session, statement)
                .thenCompose(estimate -> {
                    ApprovalRequests.Made made = requests.make(identity, session, statement, decision, estimate);
                    return flow.ask(identity, made.request(), made.heldBy(), clientGone);
                })
                .thenApply(answer -> answer instanceof ApprovalAnswer.Granted granted
                        ? proceed(statements, decisions, index, decision, granted)
                        : new GateResult.Refuse(
                                StatementGate.ACCESS_DENIED,
                                StatementGate.ACCESS_DENIED_STATE,
                                which + ((ApprovalAnswer.Refused) answer).message(),
                                decision));
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
        return new GateResult.Proceed(statements, approved);
    }

    private static CompletableFuture<GateResult> refuse(Decision decision, String which, String problem) {
        return CompletableFuture.completedFuture(new GateResult.Refuse(
                StatementGate.ACCESS_DENIED,
                StatementGate.ACCESS_DENIED_STATE,
                DenyMessages.approvalImpossible(decision, which, problem),
                decision));
    }
}
