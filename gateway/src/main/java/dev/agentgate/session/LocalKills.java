package dev.agentgate.session;

import java.util.concurrent.CompletableFuture;

/**
 * Carries out a KILL another gateway of the fleet passed on, as a local KILL does: the statement or backend connection
 * of {@code victim} is killed on its backend. Implemented by the transport; thread-safe.
 */
@FunctionalInterface
public interface LocalKills {

    /**
     * @param requestedBy who asked, for the session's end ({@code issuer|subject through gateway <instance>})
     * @return completes once the backend answered the KILL
     */
    CompletableFuture<Void> kill(SessionInfo victim, boolean queryOnly, String requestedBy);
}
