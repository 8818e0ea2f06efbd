package dev.agentgate.admin;

import java.util.Map;
import java.util.Objects;

/**
 * What the admin endpoint answers to one request, independent of the HTTP library serving it.
 *
 * @param headers extra response headers (e.g. {@code Allow} on a 405)
 */
public record AdminResponse(int status, String contentType, String body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    /** Prometheus text exposition format 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    public AdminResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static AdminResponse json(int status, String body) {
        return new AdminResponse(status, JSON, body, Map.of());
    }
}
