package dev.agentgate.config;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MySQL/MariaDB server behind the gateway ({@code targets.NAME}). Clients select it by logging
 * in with its name as MySQL user name.
 *
 * @param password the resolved service account password (from {@code password} or {@code password_file})
 * @param database default schema when the client names none, or {@code null}
 */
public record TargetConfig(
        String name,
        String host,
        int port,
        String user,
        String password,
        String database,
        Duration connectTimeout,
        BackendTlsConfig tls) {
    /** What a MySQL client can send as user name without quoting trouble. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,80}");

    public static final int DEFAULT_PORT = 3306;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public TargetConfig {
        Objects.requireNonNull(name, "target name must not be null");
        Objects.requireNonNull(host, "target host must not be null");
        Objects.requireNonNull(user, "target user must not be null");
        Objects.requireNonNull(password, "target password must not be null");
        Objects.requireNonNull(connectTimeout, "target connectTimeout must not be null");
        Objects.requireNonNull(tls, "target tls must not be null");
    }

    /** A target with default database (none), connect timeout and TLS mode. */
    public static TargetConfig of(String name, String host, int port, String user, String password) {
        return new TargetConfig(
                name, host, port, user, password, null, DEFAULT_CONNECT_TIMEOUT, BackendTlsConfig.defaults());
    }

    /** Never prints the password: configs end up in logs. */
    @Override
    public String toString() {
        return "TargetConfig[name=" + name + ", host=" + host + ", port=" + port + ", user=" + user
                + ", password=****, database=" + database + ", connectTimeout=" + connectTimeout
                + ", tls=" + tls + "]";
    }
}
