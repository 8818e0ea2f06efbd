package dev.agentgate.approval;

import dev.agentgate.identity.Identity;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway-facing side of approvals: what happens to one statement the policy sends for approval. A grant of an
 * earlier approval lets it run; else a request is stored and sent to approvers, and then the statement waits for
 * the decision (hold) or is refused with a ticket (ticket). Every failure on the way refuses the statement.
 */
public final class ApprovalFlow {

    private static final Logger log = LoggerFactory.getLogger(ApprovalFlow.class);

    private final ApprovalStore store;
    private final HeldRequests held;
    private final ApprovalNotifier notifier;
    private final URI publicUrl;
    private final Clock clock;

    ApprovalFlow(ApprovalStore store, HeldRequests held, ApprovalNotifier notifier, URI publicUrl, Clock clock) {
        this.store = store;
        this.held = held;
        this.notifier = notifier;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /**
     * Completes (on an arbitrary thread, never exceptionally) with whether the statement may run.
     *
     * @param request the request to make if no grant covers the statement
     * @param clientGone completes when the client went away; a held request is then cancelled
     */
    public CompletableFuture<ApprovalAnswer> ask(
            Identity identity, ApprovalRequest request, HeldBy heldBy, CompletableFuture<Void> clientGone) {
        return ask(identity, request, heldBy, clientGone, ApprovalMessages::ticket);
    }

    /** As the public {@code ask}; {@code ticketWords} says what a ticket tells the client (a statement, a login). */
    CompletableFuture<ApprovalAnswer> ask(
            Identity identity,
            ApprovalRequest request,
            HeldBy heldBy,
            CompletableFuture<Void> clientGone,
            BiFunction<ApprovalRequest, Boolean, String> ticketWords) {
        GrantKey key = new GrantKey(
                identity.issuer(), identity.subject(), request.target(), request.database(), heldBy.statementSha256());
        Instant now = clock.instant();
        return store.useGrant(key, now)
                .thenCompose(grant -> grant.isPresent()
                        ? granted(grant.get())
                        : request.mode() == ApprovalMode.TICKET
                                ? ticket(key, request, heldBy, ticketWords)
                                : hold(request, heldBy, clientGone))
                .exceptionally(ApprovalFlow::refusedFor);
    }

    /** Every failure on the way refuses the statement, saying what failed. */
    private static ApprovalAnswer refusedFor(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ExpiredUnrecorded expired) {
            log.warn("{}; refusing its statement", expired.getMessage());
            return new ApprovalAnswer.Refused(
                    expired.request().id(),
                    ApprovalMessages.expiredUnrecorded(expired.request(), expired.getCause()),
                    new ApprovalAnswer.Resolution(ApprovalState.EXPIRED.jsonName(), List.of()));
        }
        log.warn("approval of a statement failed; refusing it", error);
        return new ApprovalAnswer.Refused(null, ApprovalMessages.stateUnavailable(error));
    }

    private CompletableFuture<ApprovalAnswer> ticket(
            GrantKey key, ApprovalRequest request, HeldBy heldBy, BiFunction<ApprovalRequest, Boolean, String> words) {
        return store.openRequest(key, clock.instant()).thenCompose(open -> {
            if (open.isPresent()) {
                // The agent ran the statement again before anyone decided: it learns the same ticket, not a new one.
                return store.find(open.get())
                        .thenApply(found -> found.<ApprovalAnswer>map(record -> new ApprovalAnswer.Refused(
                                        record.request().id(), words.apply(record.request(), true)))
                                .orElseGet(() -> new ApprovalAnswer.Refused(open.get(), words.apply(request, true))));
            }
            return requested(request, heldBy, () -> {})
                    .thenApply(sent -> sent != null
                            ? sent
                            : new ApprovalAnswer.Refused(request.id(), words.apply(request, false)));
        });
    }

    private CompletableFuture<ApprovalAnswer> hold(
            ApprovalRequest request, HeldBy heldBy, CompletableFuture<Void> clientGone) {
        CompletableFuture<ApprovalState> decided = new CompletableFuture<>();
        // Held as soon as it is stored, before anyone is told: a vote cannot come in unseen.
        Runnable holdIt = () -> held.hold(request).whenComplete((state, error) -> {
            if (error != null) {
                decided.completeExceptionally(error);
            } else {
                decided.complete(state);
            }
        });
        return requested(request, heldBy, holdIt).thenCompose(refused -> {
            if (refused != null) {
                held.forget(request.id());
                return CompletableFuture.completedFuture(refused);
            }
            clientGone.thenRun(() -> held.cancel(request.id()));
            return decided.thenCompose(state -> answer(request, state));
        });
    }

    /**
     * Stores the request and tells approvers; completes with null when both worked, else with the refusal.
     *
     * @param stored runs once the request is stored
     */
    private CompletableFuture<ApprovalAnswer> requested(ApprovalRequest request, HeldBy heldBy, Runnable stored) {
        return store.insert(request, heldBy).thenCompose(inserted -> {
            stored.run();
            log.info(
                    "approval request {} ({}) for {}|{}: {}",
                    request.id(),
                    request.mode().jsonName(),
                    request.requester().issuer(),
                    request.requester().subject(),
                    request.reason());
            CompletableFuture<Void> sent;
            try {
                sent = notifier.requested(request, links(request));
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.handle((ok, error) -> error)
                    .thenCompose(error -> error == null
                            ? CompletableFuture.<ApprovalAnswer>completedFuture(null)
                            : notDelivered(request, error));
        });
    }

    private CompletableFuture<ApprovalAnswer> notDelivered(ApprovalRequest request, Throwable error) {
        log.warn("approval request {} could not be delivered; cancelling it", request.id(), error);
        return store.finish(request.id(), ApprovalState.CANCELLED, clock.instant())
                .handle((cancelled, ignored) ->
                        new ApprovalAnswer.Refused(request.id(), ApprovalMessages.notifierFailed(request.id(), error)));
    }

    private CompletableFuture<ApprovalAnswer> answer(ApprovalRequest request, ApprovalState state) {
        if (state != ApprovalState.APPROVED) {
            return store.find(request.id())
                    .thenApply(found -> refusal(
                            request, state, found.map(ApprovalRecord::outcome).orElse(null)));
        }
        return store.useGrantOf(request.id(), clock.instant())
                .thenCompose(used -> used
                        ? granted(request.id())
                        : CompletableFuture.completedFuture(new ApprovalAnswer.Refused(
                                request.id(),
                                ApprovalMessages.grantUsedUp(request),
                                new ApprovalAnswer.Resolution(state.jsonName(), List.of()))));
    }

    private static ApprovalAnswer refusal(ApprovalRequest request, ApprovalState state, ApprovalOutcome outcome) {
        String message = switch (state) {
            case DENIED -> ApprovalMessages.denied(request, outcome);
            case EXPIRED -> ApprovalMessages.expired(request);
            default -> ApprovalMessages.cancelled(request);
        };
        List<String> voters = outcome == null
                ? List.of()
                : outcome.votes().stream().map(vote -> vote.approver().name()).toList();
        return new ApprovalAnswer.Refused(
                request.id(), message, new ApprovalAnswer.Resolution(state.jsonName(), voters));
    }

    /** The approved request's grant was used: who approved it and what they were shown, from the store. */
    private CompletableFuture<ApprovalAnswer> granted(String requestId) {
        return store.find(requestId).thenApply(found -> {
            List<String> approvers = found.map(record -> record.outcome() == null
                            ? List.<String>of()
                            : record.outcome().approvers().stream()
                                    .map(Approver::name)
                                    .toList())
                    .orElse(List.of());
            return new ApprovalAnswer.Granted(
                    requestId,
                    approvers.isEmpty() ? "an earlier approval" : String.join(", ", approvers),
                    approvers,
                    found.map(record -> record.request().estimatedRows()).orElse(null));
        });
    }

    private ApprovalLinks links(ApprovalRequest request) {
        if (publicUrl == null) {
            return ApprovalLinks.NONE;
        }
        String base = publicUrl.toString().replaceAll("/+$", "");
        return new ApprovalLinks(URI.create(base + "/approvals/" + request.id()));
    }
}
