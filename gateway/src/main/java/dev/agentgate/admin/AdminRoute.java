package dev.agentgate.admin;

import java.util.concurrent.CompletableFuture;

/**
 * A group of admin paths served by one feature (the approvals API, Slack's interactivity URL, the approval
 * page). Handlers never block: work that waits (the state database, an issuer, Slack) returns a future that
 * completes off the listener's event loop.
 */
public interface AdminRoute {

    /** Whether this route serves {@code path} (any method: the route answers 405 itself). */
    boolean serves(String path);

    /**
     * Whether the route asks for credentials: a client refused too often is then answered 429 without asking it. The
     * probes of orchestrators (health) do not, and stay open to everyone.
     */
    default boolean checksCredentials() {
        return true;
    }

    /** Answers the request; a failed future is answered with a generic 500 (never the exception's text). */
    CompletableFuture<AdminResponse> handle(AdminRequest request);
}
