package dev.agentgate.config;

import java.time.Duration;

/** A backend MySQL/MariaDB server the gateway connects to; the password is already resolved. */
public record TargetConfig(String name, String host, int port, String user, String password,
                           String database, Duration connectTimeout, BackendTlsConfig tls) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TargetConfig[name=" + name + ", host=" + host + ", port=" + port + ", user=" + user
                + ", database=" + database + ", connectTimeout=" + connectTimeout + ", tls=" + tls + "]";
    }
}
