package dev.agentgate.approval;

import dev.agentgate.approval.DecideResult.Reason;
import dev.agentgate.state.StateDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approver-facing side of approvals: lookups, and votes checked against {@link ApproverRules} and counted by
 * {@link VoteCounting}. A vote that decides a request tells the notifier, and the statements this gateway holds for
 * it learn at once; other gateways learn it from their next poll.
 */
public final class ApprovalService implements ApprovalDecisions {

    private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

    private final ApprovalStore store;
    private final VoteCounting counting;
    private final ApprovalNotifier notifier;
    private final HeldRequests held;
    private final Clock clock;

    ApprovalService(
            ApprovalStore store, StateDatabase database, ApprovalNotifier notifier, HeldRequests held, Clock clock) {
        this.store = store;
        this.counting = new VoteCounting(database);
        this.notifier = notifier;
        this.held = held;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Optional<ApprovalRecord>> find(String requestId) {
        return store.find(requestId);
    }

    @Override
    public CompletableFuture<List<ApprovalRecord>> pending() {
        return store.pending();
    }

    @Override
    public CompletableFuture<List<ApprovalRecord>> history(int limit) {
        return store.history(limit);
    }

    @Override
    public CompletableFuture<DecideResult> decide(
            String requestId, Approver approver, Verdict verdict, String fromAddress) {
        return store.find(requestId)
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return done(new DecideResult.Refused(Reason.UNKNOWN_REQUEST, "no request " + requestId));
                    }
                    Vote vote = new Vote(approver, verdict, clock.instant(), fromAddress);
                    Optional<DecideResult.Refused> refusal = ApproverRules.refusal(found.get(), approver, vote.at());
                    if (refusal.isPresent()) {
                        return done(refusal.get());
                    }
                    return counting.vote(found.get().request(), vote)
                            .thenCompose(counted -> resultOf(requestId, counted));
                })
                .exceptionally(error -> {
                    log.warn("vote on {} by {} failed", requestId, approver.name(), error);
                    return new DecideResult.Refused(
                            Reason.UNAVAILABLE, "the approval state database is unavailable; the vote was not counted");
                });
    }

    private CompletableFuture<DecideResult> resultOf(String requestId, VoteCounting.Counted counted) {
        return store.find(requestId).thenApply(found -> {
            ApprovalRecord record = found.orElseThrow();
            return switch (counted) {
                case COUNTED -> new DecideResult.Counted(record, record.approvalsMissing());
                case DECIDED -> decided(record);
                case ALREADY_VOTED ->
                    new DecideResult.Refused(Reason.ALREADY_VOTED, "already voted on request " + requestId);
                case NOT_PENDING ->
                    record.state().isFinal()
                            ? new DecideResult.Refused(
                                    Reason.ALREADY_DECIDED,
                                    "request " + requestId + " is already "
                                            + record.state().jsonName())
                            : new DecideResult.Refused(Reason.EXPIRED, "request " + requestId + " expired");
            };
        });
    }

    private DecideResult decided(ApprovalRecord record) {
        ApprovalOutcome outcome = record.outcome();
        log.info(
                "approval request {} {} by {}",
                record.request().id(),
                outcome.state().jsonName(),
                voters(outcome));
        held.decided(record.request().id(), outcome);
        tell(record.request(), outcome);
        return new DecideResult.Decided(record, outcome);
    }

    /** Passes an outcome to the notifier; its failures only cost the message an update. */
    void tell(ApprovalRequest request, ApprovalOutcome outcome) {
        try {
            notifier.decided(request, outcome);
        } catch (RuntimeException e) {
            log.warn("the approval notifier failed on the outcome of {}", request.id(), e);
        }
    }

    static String voters(ApprovalOutcome outcome) {
        return String.join(
                ", ", outcome.votes().stream().map(v -> v.approver().name()).toList());
    }

    private static CompletableFuture<DecideResult> done(DecideResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
