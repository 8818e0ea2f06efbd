package dev.agentgate.approval;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.state.StateDatabase;
import java.time.Clock;

/**
 * Approvals as one gateway runs them: the approver-facing {@link #decisions()} (for Slack, the approval page, the
 * admin API) and the statement-facing {@link #flow()}, over one state database and one notifier.
 */
public final class Approvals implements AutoCloseable {

    private final ApprovalConfig config;
    private final HeldRequests held;
    private final ApprovalService decisions;
    private final ApprovalFlow flow;
    private final ApprovalRequests requests;
    private final LoginApprovals logins;
    private final StateDatabase database;

    /** Over {@code database}, which the caller closes after this. */
    public Approvals(StateDatabase database, ApprovalNotifier notifier, ApprovalConfig config, Clock clock) {
        this.config = config;
        this.database = database;
        this.requests = new ApprovalRequests(config, clock);
        ApprovalStore store = new ApprovalStore(database);
        this.held = new HeldRequests(store, clock, config.pollInterval());
        this.decisions = new ApprovalService(store, database, notifier, held, clock);
        this.held.notifyThrough(decisions);
        this.flow = new ApprovalFlow(store, held, notifier, config.publicUrl(), clock);
        this.logins = new LoginApprovals(flow, requests, store);
    }

    public ApprovalDecisions decisions() {
        return decisions;
    }

    public ApprovalFlow flow() {
        return flow;
    }

    /** Logins whose session decision requires approval (just-in-time access). */
    public LoginApprovals logins() {
        return logins;
    }

    /** Makes the request of a statement from its decision. */
    public ApprovalRequests requests() {
        return requests;
    }

    public StateDatabase database() {
        return database;
    }

    public ApprovalConfig config() {
        return config;
    }

    /** Statements this gateway holds now, waiting for a decision. */
    public int heldStatements() {
        return held.size();
    }

    @Override
    public void close() {
        held.close();
    }
}
