package dev.agentgate.admin;

import java.util.Map;

/** {@code /metrics}: the gateway's meters ({@link GatewayMeters}) in the Prometheus text format. */
final class GatewayMetrics {
    private GatewayMetrics() {}

    static AdminResponse page(GatewayStatus status) {
        return new AdminResponse(
                200, AdminResponse.PROMETHEUS_TEXT, status.meters().scrape(), Map.of());
    }
}
