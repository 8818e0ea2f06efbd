package dev.agentgate.transport;

import dev.agentgate.session.LocalKills;
import dev.agentgate.session.SessionEvent.EndReason;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.transport.backend.StatementCanceller;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out on this gateway's backends the KILLs other gateways of the fleet passed on for its sessions, as a local
 * KILL does: {@code KILL QUERY} or {@code KILL CONNECTION} of the session's backend thread, sent over the target's
 * control connection; a killed connection's session ends as {@link EndReason#KILLED}. Thread-safe.
 */
final class BackendKills implements LocalKills {

    private final SessionRegistry registry;
    /** Replaced when a reload changes the targets. */
    private volatile StatementCanceller canceller;

    BackendKills(SessionRegistry registry, StatementCanceller canceller) {
        this.registry = registry;
        this.canceller = canceller;
    }

    /** After a reload: the targets' control connections are {@code next}'s. */
    void use(StatementCanceller next) {
        this.canceller = next;
    }

    @Override
    public CompletableFuture<Void> kill(SessionInfo victim, boolean queryOnly, String requestedBy) {
        if (!queryOnly) {
            registry.control(victim.connectionId())
                    .ifPresent(control -> control.backendEndsBecause(
                            EndReason.KILLED, "KILL CONNECTION from " + requestedBy + " through another gateway"));
        }
        return canceller.cancel(
                victim.target(),
                victim.backendThreadId(),
                queryOnly ? StatementCanceller.Scope.QUERY : StatementCanceller.Scope.CONNECTION);
    }
}
