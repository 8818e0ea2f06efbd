package dev.agentgate.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches an admin request to the first feature route that serves its path, else to the built-in
 * {@link AdminEndpoints} (health, sessions, metrics). Whatever goes wrong in a route becomes a 500 without
 * details: the admin listener never shows a stack trace.
 */
public final class AdminRouter {
    private static final Logger log = LoggerFactory.getLogger(AdminRouter.class);

    private final AdminEndpoints builtIn;
    private final List<AdminRoute> routes;

    public AdminRouter(AdminEndpoints builtIn, List<AdminRoute> routes) {
        this.builtIn = builtIn;
        this.routes = List.copyOf(routes);
    }

    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        for (AdminRoute route : routes) {
            if (route.serves(request.path())) {
                return answered(route, request);
            }
        }
        String uri = request.query().isEmpty() ? request.path() : request.path() + "?" + request.query();
        return CompletableFuture.completedFuture(builtIn.handle(request.method(), uri));
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
