package dev.agentgate.session;

import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.session.SessionRegistry.KillDecision;
import dev.agentgate.state.KillRequestStore;
import dev.agentgate.state.KillRequestStore.Answer;
import dev.agentgate.state.LiveSessionStore;
import dev.agentgate.state.LiveSessionStore.LiveSession;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * KILL of a session another gateway of the fleet holds, from the side of the gateway the KILL was sent to: the id is
 * looked up among the fleet's live sessions and checked as a local KILL is; then a request is written for the holder,
 * which takes it within {@link FleetSessions#POLL_EVERY}. The KILL is answered once the holder's backend carried it
 * out (a refusal when it did not), or refused when the holder did not take it within {@link #TAKE_WITHIN} (the
 * request is withdrawn then, so it is never carried out late).
 */
final class RemoteKills implements KillsElsewhere {

    static final Duration TAKE_WITHIN = Duration.ofSeconds(5);

    /** How long a holder that took the KILL has to say whether its backend carried it out. */
    static final Duration CARRY_OUT_WITHIN = Duration.ofSeconds(5);

    private static final Duration ASK_EVERY = Duration.ofMillis(100);

    private final LiveSessionStore live;
    private final KillRequestStore kills;
    private final String instance;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RemoteKills(
            LiveSessionStore live,
            KillRequestStore kills,
            String instance,
            ScheduledExecutorService timer,
            Clock clock) {
        this.live = live;
        this.kills = kills;
        this.instance = instance;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<KillDecision> kill(SessionInfo caller, KillRequest request) {
        long id = request.connectionId();
        return live.named(id, caller.target(), clock.instant().minus(FleetSessions.ALIVE_WITHIN))
                .thenCompose(sessions -> decide(caller, request, sessions))
                .exceptionally(failed -> new KillDecision.Refused(
                        MySQLErrorCode.ER_UNKNOWN_ERROR.code(),
                        "KILL " + id + " was not carried out: " + rootMessage(failed)));
    }

    private CompletableFuture<KillDecision> decide(SessionInfo caller, KillRequest request, List<LiveSession> named) {
        long id = request.connectionId();
        // this gateway's own sessions were looked for in its registry already: one listed here has just ended
        List<LiveSession> elsewhere = named.stream()
                .filter(session -> !session.gatewayInstance().equals(instance))
                .toList();
        if (elsewhere.isEmpty()) {
            return CompletableFuture.completedFuture(SessionRegistry.unknownThread(id));
        }
        if (elsewhere.size() > 1) {
            return CompletableFuture.completedFuture(new KillDecision.Refused(
                    MySQLErrorCode.ER_NO_SUCH_THREAD.code(),
                    "Thread id " + id
                            + " names two sessions (a gateway connection id and a backend thread id): not killed"));
        }
        LiveSession victim = elsewhere.get(0);
        KillDecision.Refused denied = SessionRegistry.refusalOfKill(
                id,
                caller.issuer(),
                caller.subject(),
                caller.target(),
                victim.issuer(),
                victim.subject(),
                victim.target());
        if (denied != null) {
            return CompletableFuture.completedFuture(denied);
        }
        KillRequestStore.Request passedOn = new KillRequestStore.Request(
                "kill-" + HexFormat.of().formatHex(bytes()),
                victim.connectionId(),
                victim.gatewayInstance(),
                caller.issuer(),
                caller.subject(),
                caller.target(),
                request.queryOnly() ? KillRequestStore.Kind.QUERY : KillRequestStore.Kind.CONNECTION,
                clock.instant());
        CompletableFuture<KillDecision> answered = new CompletableFuture<>();
        kills.add(passedOn).whenComplete((ok, failed) -> {
            if (failed != null) {
                answered.completeExceptionally(failed);
            } else {
                ask(passedOn, victim.gatewayInstance(), clock.instant().plus(TAKE_WITHIN), answered);
            }
        });
        return answered;
    }

    private byte[] bytes() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Asks how the holder answered the request, again every {@link #ASK_EVERY}: until {@code takeBy} while it is not
     * taken (then it is withdrawn), until {@link #CARRY_OUT_WITHIN} after that while the holder carries it out.
     */
    private void ask(
            KillRequestStore.Request request, String holder, Instant takeBy, CompletableFuture<KillDecision> answered) {
        kills.answer(request.id()).whenComplete((answer, failed) -> {
            Instant now = clock.instant();
            if (failed != null) {
                answered.completeExceptionally(failed);
            } else if (answer.isPresent() && answer.get().settled()) {
                answered.complete(decision(answer.get(), holder));
            } else if (answer.isPresent() && !now.isBefore(takeBy.plus(CARRY_OUT_WITHIN))) {
                answered.complete(new KillDecision.Refused(
                        MySQLErrorCode.ER_UNKNOWN_ERROR.code(),
                        "KILL " + request.connectionId() + ": gateway '" + holder + "', which holds that session, took"
                                + " it but did not say within " + CARRY_OUT_WITHIN.toSeconds()
                                + " s whether its backend carried it out; it may have"));
            } else if (answer.isPresent() || now.isBefore(takeBy)) {
                askAgain(request, holder, takeBy, answered);
            } else {
                withdraw(request, holder, takeBy, answered);
            }
        });
    }

    private void askAgain(
            KillRequestStore.Request request, String holder, Instant takeBy, CompletableFuture<KillDecision> answered) {
        try {
            timer.schedule(() -> ask(request, holder, takeBy, answered), ASK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            answered.complete(new KillDecision.Refused(
                    MySQLErrorCode.ER_UNKNOWN_ERROR.code(),
                    "KILL " + request.connectionId() + " was not answered: this gateway is shutting down"));
        }
    }

    /** Withdraws a request not taken in time; one taken meanwhile is asked about as before. */
    private void withdraw(
            KillRequestStore.Request request, String holder, Instant takeBy, CompletableFuture<KillDecision> answered) {
        kills.withdraw(request.id()).whenComplete((withdrawn, failed) -> {
            if (failed != null) {
                answered.completeExceptionally(failed);
            } else if (withdrawn) {
                answered.complete(new KillDecision.Refused(
                        MySQLErrorCode.ER_UNKNOWN_ERROR.code(),
                        "KILL " + request.connectionId() + " was not carried out: gateway '" + holder
                                + "', which holds that session, did not take it within " + TAKE_WITHIN.toSeconds()
                                + " s (is it running?)"));
            } else {
                ask(request, holder, takeBy, answered);
            }
        });
    }

    private static KillDecision decision(Answer answer, String holder) {
        return switch (answer.outcome()) {
            case Answer.DONE -> new KillDecision.KilledElsewhere(holder);
            case Answer.DENIED -> new KillDecision.Refused(MySQLErrorCode.ER_KILL_DENIED_ERROR.code(), answer.detail());
            case Answer.UNKNOWN -> new KillDecision.Refused(MySQLErrorCode.ER_NO_SUCH_THREAD.code(), answer.detail());
            default -> new KillDecision.Refused(MySQLErrorCode.ER_UNKNOWN_ERROR.code(), answer.detail());
        };
    }

    /** The state database's own words (they name it), not those of the future that carried them. */
    private static String rootMessage(Throwable failed) {
        Throwable cause = failed;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
