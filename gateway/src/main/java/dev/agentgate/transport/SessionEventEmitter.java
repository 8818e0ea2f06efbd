package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionFacts;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what one session does into {@link SessionEvent}s for the gateway's {@link SessionEvents} sink, in order and on
 * the session's event loop. With no sink ({@link SessionEvents#NONE}) it makes nothing: no event, no clock read, no
 * copy. Of each response it copies only the packets within the sink's {@link SessionEvents#responseBudget()}: past
 * it, a packet costs two additions (the cut told with the command's completion), however large the result. A session
 * ends once; so does every command ({@link CommandInFlight#end()}).
 */
final class SessionEventEmitter {

    private static final Logger log = LoggerFactory.getLogger(SessionEventEmitter.class);

    private final SessionEvents sink;
    private final String sessionId;
    private final boolean on;
    /** The response bytes of each command the sink takes; null when it takes none. */
    private final ResponseBudget responses;

    private long commands;
    private CommandInFlight current;
    private boolean ended;
    /** Where the end of each response waits for its record; null when the sink does not keep events durably. */
    private HeldResponseEnd held;

    private final Supplier<String> policyRevision;

    SessionEventEmitter(SessionEvents sink, String sessionId) {
        this(sink, sessionId, () -> null);
    }

    /** @param policyRevision the policy's revision as of now (OPA's provenance), recorded with each decision */
    SessionEventEmitter(SessionEvents sink, String sessionId, Supplier<String> policyRevision) {
        this.sink = sink;
        this.sessionId = sessionId;
        this.policyRevision = policyRevision;
        this.on = sink != SessionEvents.NONE;
        long budget = on ? sink.responseBudget() : 0;
        this.responses = budget > 0 ? new ResponseBudget(budget) : null;
    }

    /** Whether the sink keeps events durably, so that the end of each response may wait for its record. */
    boolean keepsDurably() {
        return on && sink.keepsDurably();
    }

    /** Each command's completion lets {@code end} wait for the command's records; before the command phase. */
    void holdEndsIn(HeldResponseEnd end) {
        this.held = end;
    }

    HeldResponseEnd heldEnd() {
        return held;
    }

    /** The command taken up last, until it is completed; else null. */
    CommandInFlight current() {
        return current;
    }

    /** Whether anyone takes the events (else what only they need is not worked out). */
    boolean isOn() {
        return on;
    }

    void started(Identity identity, SessionFacts facts, String tlsProtocol, LoginDecision login) {
        if (on) {
            emit(new SessionEvent.Started(
                    sessionId,
                    Instant.now(),
                    identity,
                    facts,
                    tlsProtocol,
                    policyRevision.get(),
                    facts.gatewayInstance(),
                    login));
        }
    }

    /** A command is taken up: the one whose events follow until it {@link #completed}. */
    CommandInFlight received(CommandType type, String sql, List<String> parameters) {
        current = new CommandInFlight(++commands, type, sql, parameters, on ? Instant.now() : null);
        if (on) {
            emit(new SessionEvent.CommandReceived(
                    sessionId, current.receivedAt, current.number, type.name(), sql, parameters));
        }
        return current;
    }

    void decided(CommandInFlight command, GateResult verdict) {
        if (command == null) {
            return; // the session ended while it was decided
        }
        command.verdict = verdict;
        if (!on) {
            return;
        }
        if (verdict instanceof GateResult.Proceed proceed) {
            boolean masks = proceed.decisions().stream().anyMatch(Decision.Mask.class::isInstance)
                    || proceed.masking().masksAnything();
            emit(decided(
                    command, masks ? "mask" : "allow", reasons(proceed.decisions()), proceed, proceed.decisions()));
        } else if (verdict instanceof GateResult.Refuse refuse) {
            String action = refuse.decision() instanceof Decision.RequireApproval ? "require_approval" : "deny";
            List<Decision> decisions = refuse.decision() == null ? List.of() : List.of(refuse.decision());
            emit(decided(command, action, refuse.message(), refuse, decisions));
        }
    }

    private SessionEvent.CommandDecided decided(
            CommandInFlight command, String action, String reason, GateResult verdict, List<Decision> decisions) {
        return new SessionEvent.CommandDecided(
                sessionId,
                Instant.now(),
                command.number,
                action,
                reason,
                verdict instanceof GateResult.Proceed proceed ? proceed.statements() : List.of(),
                decisions,
                verdict.inputs()::text,
                policyRevision.get());
    }

    private static String reasons(List<Decision> decisions) {
        if (decisions.size() == 1) {
            return decisions.get(0).reason(); // nearly every command: no stream for it
        }
        return decisions.isEmpty()
                ? null
                : decisions.stream().map(Decision::reason).distinct().collect(Collectors.joining("; "));
    }

    /** Whether {@link #response} is wanted: the sink takes (the first bytes of) each response. */
    boolean wantsResponses() {
        return responses != null;
    }

    /**
     * A packet of {@code command}'s response as written to the client (its payload, without the header): copied for
     * the sink while it fits the budget, else only counted.
     */
    void response(CommandInFlight command, ByteBuf payload) {
        if (!responses.admit(command.number, payload.readableBytes())) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.readableBytes());
        payload.getBytes(payload.readerIndex(), copy);
        copy.flip();
        emit(new SessionEvent.ResponsePacket(sessionId, Instant.now(), command.number, copy));
    }

    /** The command is done (emitted once, however often this is called). */
    void completed(CommandInFlight command) {
        if (current == command) {
            current = null;
        }
        if (!command.end() || !on) {
            return;
        }
        emit(new SessionEvent.CommandCompleted(
                sessionId,
                Instant.now(),
                command.number,
                command.outcome().text(),
                command.affectedRows(),
                command.warnings(),
                command.errorCode(),
                command.errorMessage(),
                command.rows,
                command.bytes,
                command.elapsed(),
                responses == null ? ResponseBudget.Cut.NONE : responses.cutOf(command.number)));
        if (held != null) {
            held.completed(command.number);
        }
    }

    /** People decided the approval the command being decided waits for. */
    void approvalResolved(String requestId, String outcome, List<String> approvers) {
        if (on && !ended) {
            long number = current == null ? commands : current.number;
            emit(new SessionEvent.ApprovalResolved(sessionId, Instant.now(), number, requestId, outcome, approvers));
        }
    }

    /** COM_CHANGE_USER handed the session to {@code identity}, admitted by {@code decision}. */
    void identityChanged(Identity identity, LoginDecision decision) {
        if (on && !ended) {
            emit(new SessionEvent.IdentityChanged(sessionId, Instant.now(), identity, decision));
        }
    }

    /** The session ended (emitted once): a command not done by then ends first, interrupted. */
    void ended(SessionEvent.EndReason reason, String detail) {
        if (ended) {
            return;
        }
        if (current != null) {
            current.interrupted();
            completed(current);
        }
        ended = true;
        if (on) {
            emit(new SessionEvent.Ended(sessionId, Instant.now(), reason, detail));
        }
    }

    private void emit(SessionEvent event) {
        try {
            sink.on(event);
        } catch (RuntimeException broken) {
            // a sink must not throw; one that does loses its event, not the session
            log.warn("session event sink failed on {}: {}", event.getClass().getSimpleName(), broken.toString());
        }
    }
}
