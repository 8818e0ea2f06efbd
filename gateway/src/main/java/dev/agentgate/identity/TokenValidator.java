package dev.agentgate.identity;

import java.util.concurrent.CompletableFuture;

/** Turns the token a client presented as its password into an {@link Identity}. */
public interface TokenValidator {

    /**
     * Validates a token without blocking the calling thread.
     *
     * @return a future that completes with the verified identity, or exceptionally with a {@link
     *     TokenRejectedException} (possibly wrapped in a {@link java.util.concurrent.CompletionException})
     */
    CompletableFuture<Identity> validate(String token);
}
