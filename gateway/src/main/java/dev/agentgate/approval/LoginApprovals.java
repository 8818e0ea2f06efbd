package dev.agentgate.approval;

import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.session.GrantedLogin;
import dev.agentgate.session.SessionFacts;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just-in-time access by approval at login: what happens to a login whose session decision requires approval. A
 * valid grant for the identity and target lets it in, bounded by the grant's end; else a request is made (ticket
 * mode: the login is refused at once, naming it) and the agent connects again once it is approved. Hold mode is not
 * available at login: the client's connect would time out while people decide, so it is refused, saying so. Every
 * failure on the way refuses the login.
 */
public final class LoginApprovals {

    private static final Logger log = LoggerFactory.getLogger(LoginApprovals.class);

    private final ApprovalFlow flow;
    private final ApprovalRequests requests;
    private final ApprovalStore store;

    LoginApprovals(ApprovalFlow flow, ApprovalRequests requests, ApprovalStore store) {
        this.flow = flow;
        this.requests = requests;
        this.store = store;
    }

    /** Whether the login may go on, and until when. */
    public sealed interface Answer {}

    /** The login goes on, bounded by {@code grant}. */
    public record Admitted(GrantedLogin grant) implements Answer {}

    /** The login is refused; the client is told {@code message}. */
    public record Refused(String message) implements Answer {}

    /** Completes, on an arbitrary thread and never exceptionally, with whether the login may go on. */
    public CompletableFuture<Answer> ask(Identity identity, SessionFacts session, Decision.RequireApproval decision) {
        if ("hold".equals(decision.mode())) {
            return CompletableFuture.completedFuture(new Refused(ApprovalMessages.holdAtLogin(
                    decision.reason(), decision.decisionId().orElse(null))));
        }
        CompletableFuture<Answer> answer;
        try {
            ApprovalRequests.Made made = requests.makeForLogin(identity, session, decision);
            answer = flow.ask(
                            identity,
                            made.request(),
                            made.heldBy(),
                            new CompletableFuture<>(),
                            ApprovalMessages::loginTicket)
                    .thenCompose(this::answerOf);
        } catch (RuntimeException broken) {
            answer = CompletableFuture.failedFuture(broken);
        }
        return answer.exceptionally(error -> {
            log.warn("approval of a login failed; refusing it", error);
            return new Refused("Access denied by agentgate: the session needs approval, but it could not be asked ("
                    + ApprovalMessages.rootMessage(error) + "); the session was not opened.");
        });
    }

    private CompletableFuture<Answer> answerOf(ApprovalAnswer answer) {
        if (answer instanceof ApprovalAnswer.Refused refused) {
            return CompletableFuture.completedFuture(new Refused(refused.message()));
        }
        ApprovalAnswer.Granted granted = (ApprovalAnswer.Granted) answer;
        return store.grantEnd(granted.requestId())
                .thenApply(end -> end.<Answer>map(
                                at -> new Admitted(new GrantedLogin(granted.requestId(), granted.approvers(), at)))
                        .orElseGet(() -> new Refused("Access denied by agentgate: the approval grant of request "
                                + granted.requestId() + " has no end on record; the session was not opened.")));
    }
}
