package dev.agentgate.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a state database call off the event loops (at start, on the fleet's own thread). */
final class StateCalls {

    private StateCalls() {}

    /** The call's result; its failure (a {@link dev.agentgate.state.StateUnavailableException}) is thrown as it is. */
    static <T> T await(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw failed;
        }
    }
}
