package dev.agentgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS towards one target ({@code targets.NAME.tls}).
 *
 * @param caFile PEM CA bundle for verify_ca/verify_identity, or {@code null} for the JVM's trust store
 */
public record BackendTlsConfig(BackendTlsMode mode, Path caFile) {
    public static final BackendTlsMode DEFAULT_MODE = BackendTlsMode.PREFERRED;

    public BackendTlsConfig {
        Objects.requireNonNull(mode, "backend tls mode must not be null");
    }

    public static BackendTlsConfig defaults() {
        return new BackendTlsConfig(DEFAULT_MODE, null);
    }
}
