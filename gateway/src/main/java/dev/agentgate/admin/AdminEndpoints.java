package dev.agentgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.agentgate.session.SessionInfo;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin endpoint's paths and what each answers; the HTTP server only translates. Every path
 * reads in-memory state, so a request can be answered on the I/O thread that received it.
 */
public final class AdminEndpoints {
    static final String HEALTH = "/health";
    static final String SESSIONS = "/sessions";
    static final String METRICS = "/metrics";

    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final GatewayStatus status;
    private final Map<String, Function<GatewayStatus, AdminResponse>> routes =
            Map.of(HEALTH, AdminEndpoints::health, SESSIONS, AdminEndpoints::sessions, METRICS, GatewayMetrics::page);

    public AdminEndpoints(GatewayStatus status) {
        this.status = status;
    }

    /** Answers {@code method} on {@code uri} (a request target: path, optionally with a query). */
    public AdminResponse handle(String method, String uri) {
        int query = uri.indexOf('?');
        Function<GatewayStatus, AdminResponse> route = routes.get(query < 0 ? uri : uri.substring(0, query));
        if (route == null) {
            return error(404, "no such path; try " + HEALTH + ", " + SESSIONS + " or " + METRICS, Map.of());
        }
        if (!"GET".equals(method)) {
            return error(405, "only GET is allowed", Map.of("Allow", "GET"));
        }
        return route.apply(status);
    }

    private static AdminResponse health(GatewayStatus status) {
        return status.accepting()
                ? AdminResponse.json(200, json(Map.of("status", "ok")))
                : AdminResponse.json(503, json(Map.of("status", "shutting_down")));
    }

    /** What operators see of a session: who, where, since when (never tokens or claims). */
    record SessionView(
            int connectionId,
            String sessionId,
            String issuer,
            String subject,
            String target,
            long backendThreadId,
            String clientAddress,
            String startedAt) {
        static SessionView of(SessionInfo info) {
            return new SessionView(
                    info.connectionId(),
                    info.sessionId(),
                    info.issuer(),
                    info.subject(),
                    info.target(),
                    info.backendThreadId(),
                    info.clientAddress(),
                    info.startedAt().toString());
        }
    }

    record SessionsDocument(int count, List<SessionView> sessions) {}

    private static AdminResponse sessions(GatewayStatus status) {
        List<SessionView> sessions = status.registry().sessions().stream()
                .sorted(Comparator.comparingInt(SessionInfo::connectionId))
                .map(SessionView::of)
                .toList();
        return AdminResponse.json(200, json(new SessionsDocument(sessions.size(), sessions)));
    }

    private static AdminResponse error(int code, String message, Map<String, String> headers) {
        return new AdminResponse(code, AdminResponse.JSON, json(Map.of("error", message)), headers);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write admin JSON", e);
        }
    }
}
