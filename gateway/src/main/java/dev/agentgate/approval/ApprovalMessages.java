package dev.agentgate.approval;

import java.time.temporal.ChronoUnit;

/**
 * What a client sees when its statement needs approval. Written for the agent (often an LLM) reading the error: it
 * names the request, where it went, for how long it stays open, and what to do next.
 */
final class ApprovalMessages {

    private ApprovalMessages() {}

    static String ticket(ApprovalRequest request, boolean alreadyOpen) {
        return "Approval required by agentgate: " + request.reason() + ". Request " + request.id()
                + (alreadyOpen ? " is already waiting" : " was sent") + " to " + sentTo(request) + "; it stays open "
                + openFor(request) + ". Run the identical statement again after approval; it will then run"
                + " (up to " + request.grantUses() + " time(s) within "
                + request.grantWindow().toSeconds()
                + " s of approval)." + decision(request);
    }

    /** A login whose session decision requires approval: the agent is to connect again once it is approved. */
    static String loginTicket(ApprovalRequest request, boolean alreadyOpen) {
        return "Approval required by agentgate to open a session: " + request.reason() + ". Request " + request.id()
                + (alreadyOpen ? " is already waiting" : " was sent") + " to " + sentTo(request) + "; it stays open "
                + openFor(request) + ". Connect again after approval; the session is then let in (up to "
                + request.grantUses() + " login(s) within "
                + request.grantWindow().toSeconds()
                + " s of approval, and it ends when that window ends)." + decision(request);
    }

    /** Hold mode would keep the client's login waiting past its own connect time-out: only tickets are given. */
    static String holdAtLogin(String reason, String decisionId) {
        return "Access denied by agentgate: the session needs approval (" + reason + "), but the policy asks for"
                + " mode hold, which is not available at login; the policy must use mode ticket"
                + (decisionId == null ? "" : " [decision " + decisionId + "]");
    }

    static String denied(ApprovalRequest request, ApprovalOutcome outcome) {
        Approver denier = outcome == null ? null : outcome.denier();
        return "Access denied by agentgate: request " + request.id() + " was denied"
                + (denier == null ? "" : " by " + denier.name()) + "; do not retry this statement." + decision(request);
    }

    static String expired(ApprovalRequest request) {
        return "Access denied by agentgate: request " + request.id() + " expired at " + request.expiresAt()
                + " without enough approvals; nothing was run." + decision(request);
    }

    static String cancelled(ApprovalRequest request) {
        return "Access denied by agentgate: request " + request.id() + " was cancelled." + decision(request);
    }

    static String grantUsedUp(ApprovalRequest request) {
        return "Access denied by agentgate: request " + request.id()
                + " was approved, but its grant was already used or ran out; ask again." + decision(request);
    }

    static String notifierFailed(String id, Throwable error) {
        return "Access denied by agentgate: the approval request " + id + " could not be delivered to approvers ("
                + rootMessage(error) + "); the statement was not run. Try again later.";
    }

    /** A held statement's request ran out while nobody could read whether it was decided. */
    static String expiredUnrecorded(ApprovalRequest request, Throwable error) {
        return "Access denied by agentgate: request " + request.id() + " expired at " + request.expiresAt()
                + " while the approval state database was unavailable (" + rootMessage(error)
                + "), so no decision on it could be read; nothing was run. Try again once the gateway is ready."
                + decision(request);
    }

    static String stateUnavailable(Throwable error) {
        return "Access denied by agentgate: the statement needs approval, but the approval state database is"
                + " unavailable (" + rootMessage(error) + "); the statement was not run.";
    }

    private static String sentTo(ApprovalRequest request) {
        String channel = request.channel() == null ? "the approvers" : request.channel();
        return request.approvers().isEmpty()
                ? channel
                : channel + " (approvers: " + String.join(", ", request.approvers()) + ")";
    }

    private static String openFor(ApprovalRequest request) {
        return request.timeout().toSeconds() + " s (until "
                + request.expiresAt().truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    private static String decision(ApprovalRequest request) {
        return request.decisionId() == null ? "" : " [decision " + request.decisionId() + "]";
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
