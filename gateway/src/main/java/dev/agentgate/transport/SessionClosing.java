package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.session.SessionControl;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how the command phase closes one session: at once when the registry asks ({@link #closeNow}), or once
 * no command is running when the registry asks ({@link #closeWhenIdle}: a KILL, the server's shutdown), when the
 * token that opened the session expires, or when the client stayed idle past {@code listen.idle_timeout}. A
 * session closed while idle gets an error packet that says why, as MySQL's own timeouts do.
 *
 * <p>"Running" means on the backend: a command still being decided is no reason to wait (the verdict of a session
 * that closed is dropped); a statement running when the token expires is cancelled on the backend, and the session
 * ends once its response (cut short with the error) is done, or after {@link #EXPIRY_GRACE} at the latest.
 *
 * <p>Calls may come from any thread and hop onto the session's event loop, to which all state here is confined.
 */
final class SessionClosing implements SessionControl {

    private static final Logger log = LoggerFactory.getLogger(SessionClosing.class);
    static final String TOKEN_EXPIRED = "token expired";
    /** How long a statement cancelled at token expiry may take to end before the session is closed anyway. */
    static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);

    private final ClientConnection connection;
    private final BooleanSupplier busy;
    /** Why the session is to close once the command that is running is done; null while nobody asked. */
    private String closeWhenIdleReason;
    /** The session's end at token expiry (and then its grace); cancelled when the session closes before. */
    private ScheduledFuture<?> scheduled;

    /** @param busy whether a statement of the session is running on the backend */
    SessionClosing(ClientConnection connection, BooleanSupplier busy) {
        this.connection = connection;
        this.busy = busy;
    }

    /**
     * Just-in-time access: the session lives no longer than the token that opened it (null: no expiry).
     *
     * @param cancelRunning at expiry, stops the running statement and cuts its response short with the given error
     */
    void closeAtTokenExpiry(Instant tokenExpiresAt, Consumer<ErrPacket> cancelRunning) {
        closeAt(tokenExpiresAt, TOKEN_EXPIRED, cancelRunning);
    }

    /**
     * The session lives no longer than {@code deadline} (null: no limit), the earlier of its token's expiry and the
     * policy's {@code max_session_s}; replaces the deadline set before (COM_CHANGE_USER brings a new token).
     *
     * @param reason what the client is told when the deadline ends the session
     * @param cancelRunning at the deadline, stops the running statement and cuts its response short with the error
     */
    void closeAt(Instant deadline, String reason, Consumer<ErrPacket> cancelRunning) {
        if (deadline == null) {
            return;
        }
        long delayMs = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduled = connection
                .client()
                .eventLoop()
                .schedule(() -> deadlineReached(reason, cancelRunning), delayMs, TimeUnit.MILLISECONDS);
    }

    private void deadlineReached(String reason, Consumer<ErrPacket> cancelRunning) {
        connection.enterLogContext();
        if (!isBusy()) {
            closeWithError(reason);
            return;
        }
        closeWhenIdleReason = reason;
        cancelRunning.accept(error(reason));
        scheduled = connection
                .client()
                .eventLoop()
                .schedule(
                        () -> {
                            log.info(
                                    "closing session: the statement cancelled at the session's deadline did not end"
                                            + " within {}",
                                    EXPIRY_GRACE);
                            connection.close();
                        },
                        EXPIRY_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** The session closed: nothing scheduled for it may keep it (and what it references) in memory. */
    void closed() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    /** Whether a close was asked and waits for the running statement. */
    boolean isClosing() {
        return closeWhenIdleReason != null;
    }

    /** The client sent nothing for {@code listen.idle_timeout}; a command still running keeps the session open. */
    void onIdle() {
        if (!isBusy()) {
            closeWithError("the client was disconnected by the server because of inactivity");
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
        closeWithError(closeWhenIdleReason);
        return true;
    }

    private void closeWithError(String reason) {
        log.info("closing session: {}", reason);
        connection.failAndClose(error(reason), 0);
    }

    private static ErrPacket error(String reason) {
        return Errors.of(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT, reason);
    }

    @Override
    public void closeWhenIdle(String reason) {
        connection.client().eventLoop().execute(() -> {
            connection.enterLogContext();
            if (isBusy()) {
                closeWhenIdleReason = reason;
            } else {
                closeWithError(reason);
            }
        });
    }

    @Override
    public void closeNow(String reason) {
        connection.client().eventLoop().execute(() -> {
            connection.enterLogContext();
            log.info("closing session now: {}", reason);
            connection.close();
        });
    }

    @Override
    public boolean isBusy() {
        return busy.getAsBoolean();
    }
}
