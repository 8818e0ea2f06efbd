package dev.agentgate.transport;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.enforcement.DatabaseChanges;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacketTooLargeException;
import io.netty.handler.codec.DecoderException;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase of one session: forwards each client command to the backend and the backend's
 * response to the client, one command at a time and in order, knowing from the {@link
 * CommandResponseTracker} where each response ends. Responses are relayed frame by frame without
 * copying; the backend is read only while the client can take more (backpressure).
 *
 * <p>Both channels share one event loop, so all state here is confined to it.
 */
final class CommandRelay implements SessionControl {

  private static final Logger log = LoggerFactory.getLogger(CommandRelay.class);

  private final GatewayContext gateway;
  private final ClientConnection connection;
  private final SessionInfo info;
  private final long capabilities;
  private final Instant tokenExpiresAt;
  private final CommandFilter filter;
  private final Identity identity;
  private final PendingCommands pending = new PendingCommands();
  private final PreparedStatements prepared = new PreparedStatements();
  private final MaskingSession masking;
  /** A response could not be masked: the error is on its way and the session ends; nothing more is relayed. */
  private boolean failing;
  private SessionFacts facts;
  private SessionFacts factsAfterSuccess;
  /** The statements of the command in flight, as the policy saw them; empty when it decided none. */
  private List<StatementFacts> statementsInFlight = List.of();
  private boolean awaitingDecision;
  private CommandResponseTracker inFlight;
  private PacketRole lastRole;
  private String closeWhenIdleReason;

  CommandRelay(GatewayContext gateway, ClientConnection connection, SessionInfo info, long capabilities, Identity identity, SessionFacts facts) {
    this.gateway = gateway;
    this.connection = connection;
    this.info = info;
    this.capabilities = capabilities;
    this.identity = identity;
    this.tokenExpiresAt = identity.expiresAt();
    this.facts = facts;
    this.filter = new CommandFilter(gateway.registry(), info, capabilities);
    this.masking = new MaskingSession(prepared, connection.client().alloc(), connection.client()::write,
        ColumnDefinition41Packet.hasExtendedMetadata(capabilities));
  }

  /** Replaces the connection-phase handler and starts relaying. */
  void install(ChannelPipeline clientPipeline, String handshakeHandlerName) {
    Duration idle = gateway.config().listen().idleTimeout();
    clientPipeline.replace(handshakeHandlerName, "relay", new ClientCommandHandler(this));
    clientPipeline.addBefore("relay", "idle", new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
    Channel backend = connection.backend();
    backend.pipeline().addLast("relay", new BackendResponseHandler(this));
    backend.config().setAutoRead(true);
    scheduleTokenExpiry();
  }

  private void scheduleTokenExpiry() {
    if (tokenExpiresAt == null) {
      return;
    }
    long delayMs = Math.max(0, Duration.between(Instant.now(), tokenExpiresAt).toMillis());
    // Just-in-time access: the session lives no longer than the token that opened it.
    connection.client().eventLoop().schedule(() -> closeWhenIdle("token expired"), delayMs, TimeUnit.MILLISECONDS);
  }

  void onClientFrame(MySQLFrame frame) {
    connection.enterLogContext();
    if (isBusy()) {
      pending.add(frame);
      if (pending.isFull()) {
        connection.client().config().setAutoRead(false);
      }
      return;
    }
    dispatch(frame);
  }

  private void dispatch(MySQLFrame frame) {
    CommandFilter.Verdict verdict;
    PreparedStatements.Execution execution = null;
    try {
      verdict = filter.inspect(frame, facts.database());
      if (verdict instanceof CommandFilter.Verdict.Forward forward) {
        execution = prepared.inspect(forward.frame().payload());
      }
    } catch (RuntimeException malformed) {
      frame.release();
      log.warn("malformed command packet: {}", malformed.getMessage());
      connection.failAndClose(Errors.malformed(malformed.getMessage()), 1);
      return;
    }
    if (verdict instanceof CommandFilter.Verdict.Forward forward) {
      if (gateway.gate() != null && execution != null) {
        // reask_on_execute: the EXECUTE is decided again, with its bound values.
        askPolicy(new CommandFilter.Verdict.Forward(forward.frame(), forward.tracker(), execution.question()), execution);
      } else if (gateway.gate() == null || forward.question() == null) {
        forward(forward.frame(), forward.tracker(), facts, null);
      } else {
        askPolicy(forward, null);
      }
      return;
    }
    int responseSequenceId = frame.sequenceId() + frame.chunkCount();
    frame.release();
    if (verdict instanceof CommandFilter.Verdict.Answer answer) {
      connection.send(answer.error(), responseSequenceId);
    } else if (verdict instanceof CommandFilter.Verdict.Refuse refuse) {
      connection.failAndClose(refuse.error(), responseSequenceId);
    } else {
      connection.close();
    }
  }

  /** @param execution an EXECUTE decided with the facts of its PREPARE, else null */
  private void askPolicy(CommandFilter.Verdict.Forward forward, PreparedStatements.Execution execution) {
    awaitingDecision = true;
    CompletableFuture<GateResult> decided = execution == null
        ? gateway.gate().check(identity, facts, forward.question())
        : execution.decide(gateway.gate(), identity, facts);
    if (decided.isDone() && !decided.isCompletedExceptionally()) {
      // A cached decision: no need to go round the event loop's task queue, and the session's logging
      // context is still the current one.
      proceedOrRefuse(forward, decided.getNow(null));
      return;
    }
    decided.whenComplete((result, error) -> connection.client().eventLoop().execute(() -> onGateResult(forward, result)));
  }

  private void onGateResult(CommandFilter.Verdict.Forward forward, GateResult result) {
    connection.enterLogContext();
    proceedOrRefuse(forward, result);
  }

  private void proceedOrRefuse(CommandFilter.Verdict.Forward forward, GateResult result) {
    awaitingDecision = false;
    MySQLFrame frame = forward.frame();
    if (connection.isClosed()) {
      frame.release();
      return;
    }
    if (result instanceof GateResult.Proceed proceed) {
      if ("prepare".equals(forward.question().type())) {
        prepared.preparing(forward.question().sql(), proceed);
      }
      forward(frame, forward.tracker(), factsAfter(forward.question(), proceed), proceed);
      return;
    }
    GateResult.Refuse refuse = result instanceof GateResult.Refuse r ? r
        : new GateResult.Refuse(1142, "42000", "Access denied by agentgate: no policy verdict", null);
    log.info("statement refused: {}", refuse.message());
    int responseSequenceId = frame.sequenceId() + frame.chunkCount();
    frame.release();
    connection.send(new ErrPacket(refuse.errorCode(), refuse.sqlState(), refuse.message()), responseSequenceId);
    afterResponse();
  }

  private SessionFacts factsAfter(PolicyQuestion question, GateResult.Proceed proceed) {
    if ("init_db".equals(question.type())) {
      return facts.withDatabase((String) question.command().get("schema"));
    }
    SessionFacts after = facts;
    for (StatementFacts statement : proceed.statements()) {
      after = DatabaseChanges.after(statement, after);
    }
    return after;
  }

  /** @param proceed the policy's verdict, null for a command it does not decide */
  private void forward(MySQLFrame frame, CommandResponseTracker tracker, SessionFacts factsOnSuccess, GateResult.Proceed proceed) {
    factsAfterSuccess = factsOnSuccess;
    statementsInFlight = proceed == null ? List.of() : proceed.statements();
    Channel backend = connection.backend();
    masking.begin(frame.payload(), tracker.command(), proceed);
    prepared.forwarded(frame.payload());
    backend.writeAndFlush(frame);
    if (tracker.isComplete()) {
      afterResponse();
    } else {
      inFlight = tracker;
    }
  }

  void onBackendFrame(MySQLFrame frame) {
    // Per row: no logging context here (it is set where something is logged), nothing decoded.
    Channel client = connection.client();
    if (inFlight == null) {
      if (failing) {
        frame.release();
        return;
      }
      connection.enterLogContext();
      // Unsolicited: a server that closes an idle connection first sends an error about it.
      log.info("backend sent a packet outside any command; passing it on");
      client.writeAndFlush(frame);
      return;
    }
    lastRole = inFlight.accept(frame.payload());
    prepared.onResponse(lastRole, frame.payload());
    if (!masking.masks()) {
      client.write(frame);
    } else if (!relayMasked(frame)) {
      return;
    }
    if (inFlight.isComplete()) {
      inFlight = null;
      masking.end(lastRole != PacketRole.ERR);
      if (lastRole != PacketRole.ERR) {
        facts = factsAfterSuccess;
        afterSuccess();
      }
      client.flush();
      connection.enterLogContext();
      afterResponse();
    } else if (!client.isWritable()) {
      client.flush();
      connection.backend().config().setAutoRead(false);
    }
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

  /** DDL that went through: the lineage's catalog forgets what it read of those schemas before the DDL ran. */
  private void afterSuccess() {
    if (!statementsInFlight.isEmpty() && gateway.gate() != null) {
      gateway.gate().schemaMayHaveChanged(facts.target(), statementsInFlight);
    }
  }

  void onBackendReadComplete() {
    connection.client().flush();
  }

  void onClientWritabilityChanged() {
    if (connection.backend() != null && connection.client().isWritable()) {
      connection.backend().config().setAutoRead(true);
    }
  }

  private void afterResponse() {
    if (closeWhenIdleReason != null) {
      closeWithError(closeWhenIdleReason);
      return;
    }
    while (inFlight == null && !awaitingDecision && !pending.isEmpty() && !connection.isClosed()) {
      dispatch(pending.poll());
    }
    if (!isBusy() && !connection.client().config().isAutoRead()) {
      connection.client().config().setAutoRead(true);
    }
  }

  void onIdle() {
    if (!isBusy()) {
      closeWithError("the client was disconnected by the server because of inactivity");
    }
  }

  /** A client packet could not even be framed: say why (as MySQL does) and end the session. */
  void onClientFailure(Throwable cause) {
    connection.enterLogContext();
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof MySQLPacketTooLargeException) {
      log.warn("client sent a packet over listen.max_packet_size: {}", root.getMessage());
      connection.failAndClose(Errors.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE, "Got a packet bigger than 'max_allowed_packet' bytes"), 1);
    } else {
      log.warn("client connection failed: {}", ClientHandshakeHandler.rootMessage(cause));
      connection.close();
    }
  }

  void onClosed() {
    prepared.clear();
    masking.close();
    pending.releaseAll();
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
    return inFlight != null || awaitingDecision || !pending.isEmpty() || failing;
  }

  SessionInfo info() {
    return info;
  }

  long capabilities() {
    return capabilities;
  }
}
