package dev.agentgate.approval;

import dev.agentgate.approval.DecideResult.Reason;
import dev.agentgate.approval.DecideResult.Refused;
import java.time.Instant;
import java.util.Optional;

/** Who may cast a vote on a request: checked before the vote is counted. */
final class ApproverRules {

    private ApproverRules() {}

    /** Why {@code approver} may not vote on {@code record} now; empty when they may. */
    static Optional<Refused> refusal(ApprovalRecord record, Approver approver, Instant now) {
        ApprovalRequest request = record.request();
        if (record.state().isFinal()) {
            return refused(
                    Reason.ALREADY_DECIDED,
                    "request " + request.id() + " is already " + record.state().jsonName());
        }
        if (!now.isBefore(request.expiresAt())) {
            return refused(Reason.EXPIRED, "request " + request.id() + " expired at " + request.expiresAt());
        }
        if (request.requester().isSameIdentityAs(approver)) {
            return refused(Reason.OWN_REQUEST, "nobody may approve their own request");
        }
        if (request.strength() == ApprovalStrength.SSO && approver.via() == Approver.Via.SLACK) {
            return refused(
                    Reason.TOO_WEAK,
                    "request " + request.id() + " must be decided on the approval page (sign-in required)");
        }
        if (!request.approvers().isEmpty()
                && request.approvers().stream().noneMatch(entry -> matches(entry, approver))) {
            return refused(
                    Reason.NOT_AN_APPROVER,
                    approver.name() + " is not among the approvers of request " + request.id() + " ("
                            + String.join(", ", request.approvers()) + ")");
        }
        if (record.votes().stream()
                .anyMatch(v -> v.approver().issuer().equals(approver.issuer())
                        && v.approver().subject().equals(approver.subject()))) {
            return refused(Reason.ALREADY_VOTED, approver.name() + " has already voted on request " + request.id());
        }
        return Optional.empty();
    }

    /**
     * An approvers entry names a subject or a group: {@code user:<subject>} only the subject, {@code group:<name>}
     * only a group, {@code slack:<user group id>} a Slack user group (only a click in Slack shows membership of it:
     * the interactivity route adds the entry to the clicker's groups after asking Slack), a bare name either a
     * subject or a group.
     */
    static boolean matches(String entry, Approver approver) {
        if (entry.startsWith("slack:")) {
            return approver.via() == Approver.Via.SLACK && approver.groups().contains(entry);
        }
        if (entry.startsWith("user:")) {
            return approver.subject().equals(entry.substring(5));
        }
        if (entry.startsWith("group:")) {
            return approver.groups().contains(entry.substring(6));
        }
        return approver.subject().equals(entry) || approver.groups().contains(entry);
    }

    private static Optional<Refused> refused(Reason reason, String message) {
        return Optional.of(new Refused(reason, message));
    }
}
