package dev.agentgate.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches an admin request to the first feature route that serves its path, else to the built-in
 * {@link AdminEndpoints} (health, sessions, metrics). Whatever goes wrong in a route becomes a 500 without
 * details: the admin listener never shows a stack trace. The feature routes check credentials: each 401 they answer
 * counts against the client's address, and an address refused too often is answered 429 without asking them.
 */
public final class AdminRouter {
    private static final Logger log = LoggerFactory.getLogger(AdminRouter.class);

    private final AdminEndpoints builtIn;
    private final List<AdminRoute> routes;
    private final CredentialFailures failures;

    public AdminRouter(AdminEndpoints builtIn, List<AdminRoute> routes) {
        this(builtIn, routes, new CredentialFailures());
    }

    public AdminRouter(AdminEndpoints builtIn, List<AdminRoute> routes, CredentialFailures failures) {
        this.builtIn = builtIn;
        this.routes = List.copyOf(routes);
        this.failures = failures;
    }

    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        for (AdminRoute route : routes) {
            if (route.serves(request.path())) {
                if (!route.checksCredentials()) {
                    return answered(route, request);
                }
                Optional<Duration> blocked = failures.blockedFor(request.clientAddress());
                if (blocked.isPresent()) {
                    return CompletableFuture.completedFuture(tooManyRefusals(blocked.get()));
                }
                return answered(route, request).thenApply(response -> {
                    if (response.status() == 401) {
                        failures.refused(request.clientAddress());
                    }
                    return response;
                });
            }
        }
        String uri = request.query().isEmpty() ? request.path() : request.path() + "?" + request.query();
        return CompletableFuture.completedFuture(builtIn.handle(request.method(), uri));
    }

    private static AdminResponse tooManyRefusals(Duration left) {
        long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
        return new AdminResponse(
                429,
                AdminResponse.JSON,
                "{\"error\":\"too many refused credentials from this address; try again in " + seconds
                        + " s\",\"retry_after_s\":" + seconds + "}",
                Map.of("Retry-After", String.valueOf(seconds)));
    }

    private static CompletableFuture<AdminResponse> answered(AdminRoute route, AdminRequest request) {
        CompletableFuture<AdminResponse> answer;
        try {
            answer = route.handle(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(failure -> {
            log.warn("admin {} {} failed", request.method(), request.path(), failure);
            return AdminResponse.json(500, "{\"error\":\"internal error\"}");
        });
    }
}
