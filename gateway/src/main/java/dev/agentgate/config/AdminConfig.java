package dev.agentgate.config;

import java.util.Objects;

/**
 * The operators' HTTP endpoint ({@code admin:} section): health, live sessions and metrics.
 * Off unless asked for, and on loopback by default, because it lists who is connected.
 *
 * @param host address to serve on
 * @param port port to serve on (0 picks a free port: for tests)
 * @param enabled whether the endpoint is served at all
 */
public record AdminConfig(String host, int port, boolean enabled) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9090;

    public AdminConfig {
        Objects.requireNonNull(host, "admin host must not be null");
    }

    /** No admin endpoint: the default when the section is absent. */
    public static AdminConfig disabled() {
        return new AdminConfig(DEFAULT_HOST, DEFAULT_PORT, false);
    }

    /** Served on {@code host}:{@code port}. */
    public static AdminConfig enabledOn(String host, int port) {
        return new AdminConfig(host, port, true);
    }
}
