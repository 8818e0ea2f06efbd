package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.session.SessionControl;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how the command phase closes one session: at once when the registry asks ({@link #closeNow}), or once
 * no command is running when the registry asks ({@link #closeWhenIdle}: a KILL, the server's shutdown), when the
 * token that opened the session expires, or when the client stayed idle past {@code listen.idle_timeout}. A
 * session closed while idle gets an error packet that says why, as MySQL's own timeouts do.
 *
 * <p>Calls may come from any thread and hop onto the session's event loop, to which all state here is confined.
 */
final class SessionClosing implements SessionControl {

  private static final Logger log = LoggerFactory.getLogger(SessionClosing.class);

  private final ClientConnection connection;
  private final BooleanSupplier busy;
  /** Why the session is to close once the command that is running is done; null while nobody asked. */
  private String closeWhenIdleReason;
  private java.util.concurrent.ScheduledFuture<?> tokenExpiry;

  /** @param busy whether a command of the session is running (decided, relayed or waiting) */
  SessionClosing(ClientConnection connection, BooleanSupplier busy) {
    this.connection = connection;
    this.busy = busy;
  }

  /** Just-in-time access: the session lives no longer than the token that opened it (null: no expiry). */
  void closeAtTokenExpiry(Instant tokenExpiresAt) {
    if (tokenExpiresAt == null) {
      return;
    }
    long delayMs = Math.max(0, Duration.between(Instant.now(), tokenExpiresAt).toMillis());
    if (tokenExpiry != null) {
      tokenExpiry.cancel(false); // COM_CHANGE_USER: the new token's expiry replaces the old one's
    }
    tokenExpiry = connection.client().eventLoop().schedule(() -> closeWhenIdle("token expired"), delayMs, TimeUnit.MILLISECONDS);
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
    ErrPacket error = Errors.of(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT, reason);
    connection.failAndClose(error, 0);
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
