package dev.agentgate.transport;

import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.session.SessionInfo;
import java.util.Map;

/**
 * The parts of one session's command phase, made and wired together once at login: what the {@link CommandRelay}
 * puts each command through, and what is left of them when the session ends. Confined to the session's event loop,
 * as all of them are.
 */
final class CommandPhase {

    final GatewayContext gateway;
    final Identity identity;
    final SessionFacts facts;
    final CommandFilter filter;
    final PreparedStatements prepared;
    final MaskingSession masking;
    final PolicyCheckpoint policy;
    final RunningStatementCancel cancel;
    final ResponseRelay responses;
    final ObligationEnforcement obligations;
    final SessionClosing closing;
    final UserChanges users;
    final ConnectionResets resets;
    final ApprovedEffects effects;

    @SuppressWarnings("this-escape")
    CommandPhase(
            GatewayContext gateway,
            ClientConnection connection,
            SessionInfo info,
            long capabilities,
            Identity identity,
            SessionFacts facts,
            boolean clientTracksState,
            SessionEventEmitter events,
            CommandRelay relay) {
        this.gateway = gateway;
        this.identity = identity;
        this.facts = facts;
        this.filter = new CommandFilter(gateway.registry(), info, capabilities);
        this.prepared = new PreparedStatements(events.isOn());
        this.masking = new MaskingSession(
                        prepared,
                        connection.client().alloc(),
                        connection.writer()::write,
                        ColumnDefinition41Packet.hasExtendedMetadata(capabilities))
                .countingMaskedValues(gateway.counters()::valuesMasked);
        this.policy = new PolicyCheckpoint(gateway.gate(), identity, facts, prepared, connection, relay);
        this.cancel = new RunningStatementCancel(
                gateway.canceller(), connection, info.target(), info.backendThreadId(), relay::afterResponse);
        ResponseCut cut = new ResponseCut(connection, masking, () -> cancel.cancelQuery("max_rows reached"));
        this.responses = new ResponseRelay(
                connection,
                prepared,
                masking,
                cut,
                sessionState(capabilities, clientTracksState, connection),
                capabilities,
                this::backendEnding);
        this.obligations = new ObligationEnforcement(connection, prepared, cancel, cut, responses::isBusy);
        this.closing =
                new SessionClosing(connection, relay::isRunningOnBackend, obligations::cutRunningStatement, events);
        this.users = new UserChanges(
                gateway, connection, info, capabilities, facts.tls(), prepared, policy, filter, closing, events);
        this.resets = new ConnectionResets(connection, capabilities, prepared, policy);
        this.effects = new ApprovedEffects(connection, capabilities, policy, responses, masking);
    }

    /** The backend thread of a statement still running at the end was killed (once is enough). */
    private boolean backendThreadEnded;

    /** The session closed: nothing of it may run on, or keep what it holds. */
    void closed(ClientConnection connection) {
        if (connection.backendClosedFirst()) {
            closing.ending().backendEnded();
        }
        closing.closed();
        obligations.closed();
        policy.abandon();
        endRunningStatement();
        effects.closed();
        prepared.clear();
        masking.close();
    }

    /**
     * A statement still running when the session ends must not run on: its backend thread is killed, once. Called
     * when the session closes, before its place is given back, so that a shutdown waiting for the places also
     * waits for the KILL; and when the client's channel is gone, for a close that did not come through there.
     */
    void endRunningStatement() {
        if ((responses.isBusy() || effects.isChecking()) && !backendThreadEnded) {
            backendThreadEnded = true;
            cancel.killConnection("the session ended");
        }
    }

    private void backendEnding() {
        closing.ending().backendEnded();
    }

    private SessionStateRelay sessionState(long capabilities, boolean clientTracksState, ClientConnection connection) {
        return new SessionStateRelay(
                capabilities, clientTracksState, connection.client().alloc(), new SessionStateRelay.Listener() {
                    @Override
                    public void reported(Map<String, String> systemVariables) {
                        policy.sessionStateReported(systemVariables);
                    }

                    @Override
                    public void untracked(String reason) {
                        policy.lexingUntracked(reason);
                    }
                });
    }
}
