package dev.agentgate.transport;

import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.PacketRole;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's side of the command phase: relays the response to the command in flight to the client, frame by
 * frame and without copying, through the session's {@link MaskingSession} when that masks it, and knows from the
 * command's {@link CommandResponseTracker} where the response ends. The backend is read only while the client can
 * take more (backpressure). A response that cannot be masked is never passed on: the client gets an error instead
 * and the session ends.
 *
 * <p>This runs per row: nothing is decoded and no logging context is set except where something is logged.
 * Both channels share one event loop, so all state here is confined to it.
 */
final class ResponseRelay {

  private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

  private final ClientConnection connection;
  private final PreparedStatements prepared;
  private final MaskingSession masking;
  private final ResponseCut cut;
  private CommandResponseTracker inFlight;
  private PacketRole lastRole;
  /** A response could not be masked: the error is on its way and the session ends; nothing more is relayed. */
  private boolean failing;

  ResponseRelay(ClientConnection connection, PreparedStatements prepared, MaskingSession masking, ResponseCut cut) {
    this.connection = connection;
    this.prepared = prepared;
    this.masking = masking;
    this.cut = cut;
  }

  /** A command went to the backend and its response comes next. */
  void expect(CommandResponseTracker tracker) {
    inFlight = tracker;
  }

  /** Whether a response is on its way, or the session is ending because one could not be masked. */
  boolean isBusy() {
    return inFlight != null || failing;
  }

  /** Whether the response that ended last ended without an error (and was not cut short with one). */
  boolean succeeded() {
    return lastRole != PacketRole.ERR && !cut.isCut();
  }

  /**
   * Passes one backend frame on to the client (written; flushed when the client is full or, by the caller, when
   * the response is complete).
   *
   * @return whether this frame completed the response to the command in flight
   */
  boolean relay(MySQLFrame frame) {
    Channel client = connection.client();
    if (inFlight == null) {
      if (failing) {
        frame.release();
        return false;
      }
      connection.enterLogContext();
      // Unsolicited: a server that closes an idle connection first sends an error about it.
      log.info("backend sent a packet outside any command; passing it on");
      client.writeAndFlush(frame);
      return false;
    }
    lastRole = inFlight.accept(frame.payload());
    prepared.onResponse(lastRole, frame.payload());
    if (cut.withholds(lastRole, frame)) {
      // the client got an error in its place; the rest of the response is read and dropped
    } else if (!masking.masks()) {
      client.write(frame);
    } else if (!relayMasked(frame)) {
      return false;
    }
    if (inFlight.isComplete()) {
      inFlight = null;
      masking.end(succeeded());
      return true;
    }
    if (!client.isWritable()) {
      client.flush();
      connection.backend().config().setAutoRead(false);
    }
    return false;
  }

  /** @return false when the response could not be masked: the client gets an error instead and the session ends */
  private boolean relayMasked(MySQLFrame frame) {
    try {
      masking.relay(lastRole, frame);
      return true;
    } catch (RuntimeException unmaskable) {
      connection.enterLogContext();
      log.warn("closing session: a response under masking could not be masked: {}", unmaskable.getMessage());
      inFlight = null;
      failing = true;
      connection.backend().config().setAutoRead(false);
      connection.failAndClose(Errors.malformed("a backend response could not be masked; agentgate ends the session"),
          masking.abandon());
      return false;
    }
  }

  /** The backend has no more to read for now: what was written reaches the client. */
  void onReadComplete() {
    connection.client().flush();
  }

  /** The client can take more again: read the backend again. */
  void onClientWritabilityChanged() {
    if (connection.backend() != null && connection.client().isWritable()) {
      connection.backend().config().setAutoRead(true);
    }
  }
}
