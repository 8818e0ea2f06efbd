package dev.agentgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the gateway accepts MySQL clients ({@code listen:} section).
 *
 * @param serverVersion version string announced in the greeting; {@code null} means probe the target
 * @param maxPacketSize largest logical packet (bytes) accepted from a client once logged in
 * @param maxHandshakes connections at most in the connection phase at once (not counted as sessions until login)
 * @param maxHandshakesPerAddress of those, at most this many from one client address
 */
public record ListenConfig(
        String host,
        int port,
        int maxConnections,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration shutdownGrace,
        String serverVersion,
        int maxPacketSize,
        int maxHandshakes,
        int maxHandshakesPerAddress) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 3307;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(8);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PACKET_SIZE = 1 << 30;
    public static final int DEFAULT_MAX_HANDSHAKES = 256;
    public static final int DEFAULT_MAX_HANDSHAKES_PER_ADDRESS = 32;
    /** Announced when no version is configured and the target cannot be probed. */
    public static final String FALLBACK_SERVER_VERSION = "8.0.40-agentgate";

    public ListenConfig {
        Objects.requireNonNull(host, "listen host must not be null");
        Objects.requireNonNull(handshakeTimeout, "listen handshakeTimeout must not be null");
        Objects.requireNonNull(idleTimeout, "listen idleTimeout must not be null");
        Objects.requireNonNull(shutdownGrace, "listen shutdownGrace must not be null");
    }

    /** With the handshake limits at their defaults. */
    public ListenConfig(
            String host,
            int port,
            int maxConnections,
            Duration handshakeTimeout,
            Duration idleTimeout,
            Duration shutdownGrace,
            String serverVersion,
            int maxPacketSize) {
        this(
                host,
                port,
                maxConnections,
                handshakeTimeout,
                idleTimeout,
                shutdownGrace,
                serverVersion,
                maxPacketSize,
                DEFAULT_MAX_HANDSHAKES,
                DEFAULT_MAX_HANDSHAKES_PER_ADDRESS);
    }

    /** Every key at its default. */
    public static ListenConfig defaults() {
        return new ListenConfig(
                DEFAULT_HOST,
                DEFAULT_PORT,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_SHUTDOWN_GRACE,
                null,
                DEFAULT_MAX_PACKET_SIZE);
    }

    /** A copy with other limits for connections in the connection phase. */
    public ListenConfig withHandshakeLimits(int total, int perAddress) {
        return new ListenConfig(
                host,
                port,
                maxConnections,
                handshakeTimeout,
                idleTimeout,
                shutdownGrace,
                serverVersion,
                maxPacketSize,
                total,
                perAddress);
    }

    /** A copy listening on {@code host}:{@code port} (port 0 picks a free port: for tests). */
    public ListenConfig withAddress(String host, int port) {
        return new ListenConfig(
                host,
                port,
                maxConnections,
                handshakeTimeout,
                idleTimeout,
                shutdownGrace,
                serverVersion,
                maxPacketSize,
                maxHandshakes,
                maxHandshakesPerAddress);
    }
}
