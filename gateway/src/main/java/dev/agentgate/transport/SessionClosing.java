package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionEvent.EndReason;
import dev.agentgate.session.SessionEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how the command phase closes one session, and why it ended: at once when asked ({@link #closeNow}), or
 * once no command is running ({@link #closeWhenIdle}: a KILL, the server's shutdown), at its {@link SessionDeadline}
 * (the token's expiry, a policy's maximum duration), or when the client stayed idle past {@code
 * listen.idle_timeout}. A session closed while idle gets an error packet that says why, as MySQL's own timeouts do.
 *
 * <p>"Running" means on the backend: a command still being decided is no reason to wait (the verdict of a session
 * that closed is dropped); a statement running at the deadline is cancelled on the backend, and the session ends
 * once its response (cut short with the error) is done, or after {@link #EXPIRY_GRACE} at the latest.
 *
 * <p>Calls may come from any thread and hop onto the session's event loop, to which all state here is confined.
 */
final class SessionClosing implements SessionControl {

    private static final Logger log = LoggerFactory.getLogger(SessionClosing.class);
    static final String TOKEN_EXPIRED = "token expired";
    static final String IDLE = "the client was disconnected by the server because of inactivity";
    /** How long a statement cancelled at the deadline may take to end before the session is closed anyway. */
    static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);

    private final ClientConnection connection;
    private final BooleanSupplier busy;
    private final Consumer<ErrPacket> cancelRunning;
    private final SessionDeadline deadline;
    private final SessionEventEmitter events;
    /** Why the session is to close once the command that is running is done; null while nobody asked. */
    private String closeWhenIdleReason;
    /** The close after a deadline's grace; cancelled when the session closes before. */
    private ScheduledFuture<?> grace;

    private final SessionEnding ending = new SessionEnding();
    /** Why the session is to end once the running command is done (with {@link #closeWhenIdleReason}). */
    private EndReason closeWhenIdleWhy;

    /**
     * @param busy whether a statement of the session is running on the backend
     * @param cancelRunning at the deadline, stops the running statement and cuts its response short with the error
     */
    SessionClosing(ClientConnection connection, BooleanSupplier busy, Consumer<ErrPacket> cancelRunning) {
        this(connection, busy, cancelRunning, new SessionEventEmitter(SessionEvents.NONE, connection.sessionId()));
    }

    /** @param events where an approval's resolution is told */
    SessionClosing(
            ClientConnection connection,
            BooleanSupplier busy,
            Consumer<ErrPacket> cancelRunning,
            SessionEventEmitter events) {
        this.connection = connection;
        this.busy = busy;
        this.cancelRunning = cancelRunning;
        this.events = events;
        this.deadline = new SessionDeadline(connection, this::deadlineReached);
    }

    /**
     * The session lives no longer than the token that opened it (null: no expiry); after COM_CHANGE_USER the new
     * token's expiry replaces the old one's.
     */
    void closeAtTokenExpiry(Instant tokenExpiresAt) {
        if (tokenExpiresAt != null) {
            deadline.replace(new SessionDeadline.Limit(tokenExpiresAt, EndReason.TOKEN_EXPIRED, TOKEN_EXPIRED));
        }
    }

    @Override
    public void limitTo(Instant at, EndReason why, String message) {
        SessionDeadline.Limit limit = new SessionDeadline.Limit(at, why, message);
        onEventLoop(() -> deadline.limitTo(limit));
    }

    /** The limit that ends the session first, null when none. */
    SessionDeadline.Limit deadline() {
        return deadline.earliest();
    }

    private void deadlineReached(SessionDeadline.Limit limit) {
        connection.enterLogContext();
        if (!isBusy()) {
            closeWithError(limit.message(), limit.why());
            return;
        }
        ending.endsBecause(limit.why(), limit.message());
        closeWhenIdleReason = limit.message();
        closeWhenIdleWhy = limit.why();
        cancelRunning.accept(error(limit.message()));
        grace = connection
                .client()
                .eventLoop()
                .schedule(
                        () -> {
                            log.info(
                                    "closing session: the statement cancelled at the deadline did not end within {}",
                                    EXPIRY_GRACE);
                            connection.close();
                        },
                        EXPIRY_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** The session closed: nothing scheduled for it may keep it (and what it references) in memory. */
    void closed() {
        deadline.cancel();
        if (grace != null) {
            grace.cancel(false);
            grace = null;
        }
    }

    /** Whether a close was asked and waits for the running statement. */
    boolean isClosing() {
        return closeWhenIdleReason != null;
    }

    /** The client sent nothing for {@code listen.idle_timeout}; a command still running keeps the session open. */
    void onIdle() {
        if (!isBusy()) {
            closeWithError(IDLE, EndReason.IDLE_TIMEOUT);
        }
    }

    /**
     * A command is done: closes the session if that was asked while it ran.
     *
     * @return whether the session is closing, so that no further command may start
     */
    boolean closeIfAsked() {
        if (closeWhenIdleReason == null) {
            return false;
        }
        closeWithError(closeWhenIdleReason, closeWhenIdleWhy);
        return true;
    }

    private void closeWithError(String reason, EndReason why) {
        log.info("closing session: {}", reason);
        ending.endsBecause(why, reason);
        connection.failAndClose(error(reason), 0);
    }

    private static ErrPacket error(String reason) {
        return Errors.of(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT, reason);
    }

    /** Why the session ends. */
    SessionEnding ending() {
        return ending;
    }

    @Override
    public void closeWhenIdle(String reason, EndReason why) {
        onEventLoop(() -> {
            if (isBusy()) {
                ending.endsBecause(why, reason);
                closeWhenIdleReason = reason;
                closeWhenIdleWhy = why;
            } else {
                closeWithError(reason, why);
            }
        });
    }

    @Override
    public void closeNow(String reason, EndReason why) {
        onEventLoop(() -> {
            log.info("closing session now: {}", reason);
            ending.endsBecause(why, reason);
            connection.close();
        });
    }

    @Override
    public void backendEndsBecause(EndReason why, String detail) {
        onEventLoop(() -> ending.backendEndsBecause(why, detail));
    }

    @Override
    public void approvalResolved(String requestId, String outcome, List<String> approvers) {
        List<String> who = List.copyOf(approvers);
        onEventLoop(() -> events.approvalResolved(requestId, outcome, who));
    }

    private void onEventLoop(Runnable task) {
        connection.client().eventLoop().execute(() -> {
            connection.enterLogContext();
            task.run();
        });
    }

    @Override
    public boolean isBusy() {
        return busy.getAsBoolean();
    }
}
