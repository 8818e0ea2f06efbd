package dev.agentgate.config;

import java.util.List;

/**
 * Reads the sections about the gateway's own server side: {@code listen}, {@code tls}, {@code auth}
 * and {@code admin}.
 */
final class ServerSectionsReader {
    private ServerSectionsReader() {}

    static ListenConfig listen(ConfigNode listen) {
        listen.rejectUnknownKeys(List.of(
                "host",
                "port",
                "max_connections",
                "handshake_timeout",
                "idle_timeout",
                "shutdown_grace",
                "server_version",
                "max_packet_size",
                "max_handshakes",
                "max_handshakes_per_address"));
        return new ListenConfig(
                listen.string("host", ListenConfig.DEFAULT_HOST),
                listen.port("port", ListenConfig.DEFAULT_PORT),
                listen.positiveInt("max_connections", ListenConfig.DEFAULT_MAX_CONNECTIONS),
                listen.positiveDuration("handshake_timeout", ListenConfig.DEFAULT_HANDSHAKE_TIMEOUT),
                listen.positiveDuration("idle_timeout", ListenConfig.DEFAULT_IDLE_TIMEOUT),
                listen.duration("shutdown_grace", ListenConfig.DEFAULT_SHUTDOWN_GRACE),
                listen.optionalString("server_version").orElse(null),
                listen.positiveInt("max_packet_size", ListenConfig.DEFAULT_MAX_PACKET_SIZE),
                listen.positiveInt("max_handshakes", ListenConfig.DEFAULT_MAX_HANDSHAKES),
                listen.positiveInt("max_handshakes_per_address", ListenConfig.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS));
    }

    static TlsConfig tls(ConfigNode tls, boolean devMode) {
        tls.rejectUnknownKeys(List.of("cert_file", "key_file", "allow_insecure_token_login"));
        if (tls.optionalString("cert_file").isPresent()
                != tls.optionalString("key_file").isPresent()) {
            throw tls.error("cert_file and key_file must be given together");
        }
        boolean allowInsecureTokenLogin = tls.bool("allow_insecure_token_login", false);
        if (allowInsecureTokenLogin && !devMode) {
            throw tls.error("allow_insecure_token_login", "only allowed with dev_mode: true");
        }
        return new TlsConfig(
                tls.existingFile("cert_file").orElse(null),
                tls.existingFile("key_file").orElse(null),
                allowInsecureTokenLogin);
    }

    static AuthConfig auth(ConfigNode auth) {
        auth.rejectUnknownKeys(List.of("switch_plugin", "max_failed_logins_per_minute"));
        return new AuthConfig(
                auth.choice("switch_plugin", AuthConfig.CACHING_SHA2_PASSWORD, AuthConfig.SWITCH_PLUGINS),
                auth.positiveInt("max_failed_logins_per_minute", AuthConfig.DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE));
    }

    /** {@code audit.jsonl}: {@code "-"} for stdout, else a file path (relative to the config file's directory). */
    static AuditConfig audit(ConfigNode audit) {
        audit.rejectUnknownKeys(List.of("jsonl"));
        return audit.optionalString("jsonl")
                .map(jsonl -> new AuditConfig(
                        jsonl.equals("-")
                                ? jsonl
                                : audit.path("jsonl").orElseThrow().toString()))
                .orElse(AuditConfig.off());
    }

    static AdminConfig admin(ConfigNode admin, ListenConfig listen) {
        admin.rejectUnknownKeys(List.of("host", "port", "enabled"));
        AdminConfig config = new AdminConfig(
                admin.string("host", AdminConfig.DEFAULT_HOST),
                admin.port("port", AdminConfig.DEFAULT_PORT),
                admin.bool("enabled", false));
        if (config.enabled() && config.port() == listen.port()) {
            throw admin.error("port", "must differ from listen.port, was " + config.port());
        }
        return config;
    }
}
