package dev.agentgate.session;

import java.util.concurrent.CompletableFuture;

/**
 * KILL of a session another gateway of the fleet holds: the id is looked up among the fleet's live sessions, checked
 * as a local KILL is (the caller's own session, on the same target), and the holder is asked to carry it out.
 */
@FunctionalInterface
public interface KillsElsewhere {

    /**
     * @param caller the session that sent the KILL
     * @return completes (on any thread, never exceptionally) with {@link SessionRegistry.KillDecision.KilledElsewhere}
     *     once the holder carried it out, else with the refusal the client gets
     */
    CompletableFuture<SessionRegistry.KillDecision> kill(SessionInfo caller, KillRequest request);
}
