package dev.agentgate.approval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests whose statements this gateway holds in hold mode, each with the future its statement waits on. A vote
 * counted here completes it at once; a decision made by another gateway sharing the state database is found by
 * polling the held ids every {@code approval.poll_interval}; a request whose time is up is expired by whoever gets
 * there first. While the state database does not answer, statements stay held until their request's expiry and are
 * then refused with {@link ExpiredUnrecorded} (never held forever); what could not be written then (the expiry, a
 * cancellation) is written once the database answers again.
 */
final class HeldRequests implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeldRequests.class);

    private record Held(ApprovalRequest request, CompletableFuture<ApprovalState> state) {}

    /** A final state reached here that the state database did not take yet. */
    private record Unrecorded(ApprovalRequest request, ApprovalState state) {}

    private final ApprovalStore store;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Unrecorded> unrecorded = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile ApprovalService service;

    HeldRequests(ApprovalStore store, Clock clock, Duration pollInterval) {
        this.store = store;
        this.clock = clock;
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "agentgate-approval-poll");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(10, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    void notifyThrough(ApprovalService service) {
        this.service = service;
    }

    /** The future completes with the request's final state; its statement is held until then. */
    CompletableFuture<ApprovalState> hold(ApprovalRequest request) {
        CompletableFuture<ApprovalState> state = new CompletableFuture<>();
        held.put(request.id(), new Held(request, state));
        return state;
    }

    /** The request was decided (here, or found decided elsewhere). */
    void decided(String id, ApprovalOutcome outcome) {
        Held done = held.remove(id);
        if (done != null) {
            done.state().complete(outcome.state());
        }
    }

    /** Stops holding {@code id} without a decision (its request could not be delivered). */
    void forget(String id) {
        held.remove(id);
    }

    /** The client holding the statement went away: the request is cancelled, unless decided meanwhile. */
    CompletableFuture<Boolean> cancel(String id) {
        Held gone = held.remove(id);
        return store.finish(id, ApprovalState.CANCELLED, clock.instant()).whenComplete((cancelled, error) -> {
            if (error != null && gone != null) {
                unrecorded.put(id, new Unrecorded(gone.request(), ApprovalState.CANCELLED));
            } else if (Boolean.TRUE.equals(cancelled) && gone != null) {
                log.info("approval request {} cancelled: the client went away", id);
                tellOutcome(gone.request(), ApprovalState.CANCELLED);
            }
        });
    }

    int size() {
        return held.size();
    }

    private void poll() {
        if ((held.isEmpty() && unrecorded.isEmpty()) || !polling.compareAndSet(false, true)) {
            return;
        }
        Set<String> ids = Set.copyOf(held.keySet());
        CompletableFuture<Void> settled = ids.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : store.states(ids).thenAccept(this::settle);
        settled.handle((ignored, error) -> {
                    if (error != null) {
                        log.warn("cannot poll the state database for decisions on held statements", error);
                        refuseExpired(error);
                    }
                    return null;
                })
                .thenCompose(ignored -> recordUnrecorded())
                .whenComplete((ignored, error) -> polling.set(false));
    }

    /** The state database cannot say whether they were decided: statements whose time is up are refused. */
    private void refuseExpired(Throwable error) {
        Instant now = clock.instant();
        for (Held one : held.values()) {
            if (!now.isBefore(one.request().expiresAt())
                    && held.remove(one.request().id(), one)) {
                log.warn(
                        "approval request {} expired while the state database could not be reached",
                        one.request().id());
                unrecorded.put(one.request().id(), new Unrecorded(one.request(), ApprovalState.EXPIRED));
                one.state().completeExceptionally(new ExpiredUnrecorded(one.request(), error));
            }
        }
    }

    /** Writes the final states the database missed; those it still does not take are tried at the next poll. */
    private CompletableFuture<Void> recordUnrecorded() {
        CompletableFuture<?>[] writes = unrecorded.values().stream()
                .map(one -> store.finish(one.request().id(), one.state(), clock.instant())
                        .thenAccept(finished -> {
                            unrecorded.remove(one.request().id());
                            if (finished) {
                                tellOutcome(one.request(), one.state());
                            }
                        }))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(writes).handle((ignored, error) -> null);
    }

    private void settle(Map<String, ApprovalState> states) {
        Instant now = clock.instant();
        for (Held one : held.values()) {
            String id = one.request().id();
            ApprovalState state = states.get(id);
            if (state == null) {
                complete(id, ApprovalState.CANCELLED);
            } else if (state.isFinal()) {
                complete(id, state);
            } else if (!now.isBefore(one.request().expiresAt())) {
                store.finish(id, ApprovalState.EXPIRED, now).whenComplete((expired, error) -> {
                    if (error != null) {
                        refuseExpired(error);
                    } else if (expired) {
                        log.info("approval request {} expired", id);
                        tellOutcome(one.request(), ApprovalState.EXPIRED);
                        complete(id, ApprovalState.EXPIRED);
                    }
                });
            }
        }
    }

    private void complete(String id, ApprovalState state) {
        Held done = held.remove(id);
        if (done != null) {
            done.state().complete(state);
        }
    }

    private void tellOutcome(ApprovalRequest request, ApprovalState state) {
        ApprovalService notifying = service;
        if (notifying != null) {
            notifying.tell(request, new ApprovalOutcome(request.id(), state, clock.instant(), java.util.List.of()));
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
