package dev.agentgate.config;

import java.util.List;
import java.util.Objects;

/**
 * Client authentication ({@code auth:} section).
 *
 * @param switchPlugin plugin a client that answered with another plugin is switched to
 * @param maxFailedLoginsPerMinute failed logins allowed per client address per minute
 */
public record AuthConfig(String switchPlugin, int maxFailedLoginsPerMinute) {
    public static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";
    public static final String MYSQL_CLEAR_PASSWORD = "mysql_clear_password";
    public static final List<String> SWITCH_PLUGINS = List.of(CACHING_SHA2_PASSWORD, MYSQL_CLEAR_PASSWORD);
    public static final int DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE = 20;

    public AuthConfig {
        Objects.requireNonNull(switchPlugin, "auth switchPlugin must not be null");
    }

    public static AuthConfig defaults() {
        return new AuthConfig(CACHING_SHA2_PASSWORD, DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE);
    }
}
