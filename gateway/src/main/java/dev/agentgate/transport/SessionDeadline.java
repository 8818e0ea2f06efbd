package dev.agentgate.transport;

import dev.agentgate.session.SessionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * When one session must end at the latest: the earliest of its limits, each with its reason (the token's expiry, a
 * policy's {@code max_session_s}, the end of an approval's grant). One timer runs, for the earliest limit; it fires
 * on the session's event loop, to which all state here is confined.
 */
final class SessionDeadline {

    /** One limit: at {@code at} the session ends {@code why}, and the client is told {@code message}. */
    record Limit(Instant at, SessionEvent.EndReason why, String message) {
        Limit {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(message, "message");
        }
    }

    private final ClientConnection connection;
    private final Consumer<Limit> reached;
    /** The earliest limit of each reason. */
    private final Map<SessionEvent.EndReason, Limit> limits = new EnumMap<>(SessionEvent.EndReason.class);

    private ScheduledFuture<?> timer;
    private boolean over;

    /** @param reached runs once, on the event loop, when the earliest limit is reached */
    SessionDeadline(ClientConnection connection, Consumer<Limit> reached) {
        this.connection = connection;
        this.reached = reached;
    }

    /** Adds a limit; of two limits with one reason the earlier counts. */
    void limitTo(Limit limit) {
        Limit before = limits.get(limit.why());
        if (before == null || limit.at().isBefore(before.at())) {
            limits.put(limit.why(), limit);
            arm();
        }
    }

    /** Replaces the limit of {@code limit}'s reason (after COM_CHANGE_USER, the new token's expiry is the one). */
    void replace(Limit limit) {
        limits.put(limit.why(), limit);
        arm();
    }

    /** The limit that ends the session first, or null when there is none. */
    Limit earliest() {
        Limit first = null;
        for (Limit limit : limits.values()) {
            if (first == null || limit.at().isBefore(first.at())) {
                first = limit;
            }
        }
        return first;
    }

    private void arm() {
        if (over) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        Limit first = earliest();
        long delayMs = Math.max(0, Duration.between(Instant.now(), first.at()).toMillis());
        timer = connection
                .client()
                .eventLoop()
                .schedule(
                        () -> {
                            timer = null;
                            over = true;
                            reached.accept(first);
                        },
                        delayMs,
                        TimeUnit.MILLISECONDS);
    }

    /** The session closed: the timer may no longer keep it (and what it references) in memory. */
    void cancel() {
        over = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
