package dev.agentgate.session;

import dev.agentgate.state.KillRequestStore;
import dev.agentgate.state.KillRequestStore.Answer;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KILLs other gateways of the fleet passed on for this gateway's sessions: each is taken once, checked again
 * against the session as it is now (its identity may have changed since it was written), and carried out on the
 * session's backend when it is the requester's own session on the requester's target.
 */
final class PassedOnKills {

    private static final Logger log = LoggerFactory.getLogger(PassedOnKills.class);

    private final KillRequestStore kills;
    private final String instance;
    private final SessionRegistry registry;
    private final LocalKills local;
    private final Clock clock;
    /** Whether the last look failed: a database that stays down is logged once, not with every poll. */
    private boolean failing;

    PassedOnKills(KillRequestStore kills, String instance, SessionRegistry registry, LocalKills local, Clock clock) {
        this.kills = kills;
        this.instance = instance;
        this.registry = registry;
        this.local = local;
        this.clock = clock;
    }

    /** On the fleet's own thread: waiting for the database here holds up only the next look. */
    void takeAll() {
        try {
            for (KillRequestStore.Request request : StateCalls.await(kills.untakenFor(instance))) {
                take(request);
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("could not look for KILLs passed on by other gateways: {}", e.getMessage());
            }
            failing = true;
        }
    }

    private void take(KillRequestStore.Request request) {
        Optional<SessionInfo> victim = registry.info(request.connectionId());
        Answer answer = answerTo(request, victim.orElse(null));
        Answer taken = answer.done() ? Answer.CARRYING_OUT : answer;
        if (!StateCalls.await(kills.take(request.id(), taken, clock.instant())) || !answer.done()) {
            return; // withdrawn by its sender, or answered with a refusal
        }
        boolean queryOnly = request.kind() == KillRequestStore.Kind.QUERY;
        String requestedBy = request.requesterIssuer() + "|" + request.requesterSubject();
        log.info(
                "KILL {}{} passed on by another gateway for {}",
                queryOnly ? "QUERY " : "",
                request.connectionId(),
                requestedBy);
        CompletableFuture<Void> killed;
        try {
            killed = local.kill(victim.get(), queryOnly, requestedBy);
        } catch (RuntimeException e) {
            killed = CompletableFuture.failedFuture(e);
        }
        // the sender answers its client only with this: OK only for a KILL the backend carried out
        killed.handle((ok, failed) -> settled(request, failed))
                .thenCompose(result -> kills.settle(request.id(), result))
                .whenComplete((ok, failed) -> {
                    if (failed != null) {
                        log.warn(
                                "could not tell the sender of KILL {} how it went: {}",
                                request.connectionId(),
                                failed.getMessage());
                    }
                });
    }

    private static Answer settled(KillRequestStore.Request request, Throwable failed) {
        if (failed == null) {
            return new Answer(Answer.DONE, null);
        }
        Throwable cause =
                failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
        log.warn("KILL {} passed on by another gateway failed: {}", request.connectionId(), cause.toString());
        return new Answer(
                Answer.FAILED,
                "KILL " + request.connectionId() + " was not carried out on the session's backend: "
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /** As a local KILL is decided ({@link SessionRegistry#authorizeKill}): own sessions on the same target only. */
    static Answer answerTo(KillRequestStore.Request request, SessionInfo victim) {
        long id = request.connectionId();
        if (victim == null) {
            return new Answer(Answer.UNKNOWN, SessionRegistry.unknownThread(id).message());
        }
        SessionRegistry.KillDecision.Refused denied = SessionRegistry.refusalOfKill(
                id,
                request.requesterIssuer(),
                request.requesterSubject(),
                request.requesterTarget(),
                victim.issuer(),
                victim.subject(),
                victim.target());
        return denied != null ? new Answer(Answer.DENIED, denied.message()) : new Answer(Answer.DONE, null);
    }
}
