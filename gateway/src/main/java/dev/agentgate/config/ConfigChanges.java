package dev.agentgate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What differs between the running configuration and a new one, for a reload. Targets, issuers and policy settings
 * take effect on a running gateway (new logins and their statements use them; sessions already open keep theirs);
 * everything else (listeners, TLS, state, recording, approvals, audit) is bound to resources made at start, so a new
 * file that changes it is refused, naming the key, and the running configuration is kept.
 */
public final class ConfigChanges {

    private static final Map<String, Function<GatewayConfig, Object>> RESTART_ONLY = restartOnly();

    private final GatewayConfig running;
    private final GatewayConfig next;

    public ConfigChanges(GatewayConfig running, GatewayConfig next) {
        this.running = Objects.requireNonNull(running, "running");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** @throws ConfigException at the first key whose change needs a restart */
    public ConfigChanges requireReloadable() {
        for (Map.Entry<String, Function<GatewayConfig, Object>> key : RESTART_ONLY.entrySet()) {
            if (!Objects.equals(key.getValue().apply(running), key.getValue().apply(next))) {
                throw ConfigException.at(key.getKey(), "changed, which takes effect only after a restart");
            }
        }
        return this;
    }

    public boolean targets() {
        return !running.targets().equals(next.targets());
    }

    public boolean identity() {
        return !running.identity().equals(next.identity());
    }

    public boolean policy() {
        return !running.policy().equals(next.policy());
    }

    public boolean any() {
        return targets() || identity() || policy();
    }

    /** For the log: which reloadable sections changed. */
    public String describe() {
        StringBuilder changed = new StringBuilder();
        append(changed, targets(), "targets");
        append(changed, identity(), "identity");
        append(changed, policy(), "policy");
        return changed.length() == 0 ? "nothing" : changed.toString();
    }

    private static void append(StringBuilder changed, boolean differs, String section) {
        if (differs) {
            changed.append(changed.length() == 0 ? "" : ", ").append(section);
        }
    }

    private static Map<String, Function<GatewayConfig, Object>> restartOnly() {
        Map<String, Function<GatewayConfig, Object>> keys = new LinkedHashMap<>();
        keys.put("dev_mode", GatewayConfig::devMode);
        keys.put("instance_id", GatewayConfig::instanceId);
        keys.put("listen", GatewayConfig::listen);
        keys.put("tls", GatewayConfig::tls);
        keys.put("auth", GatewayConfig::auth);
        keys.put("admin", GatewayConfig::admin);
        keys.put("policy.disabled", config -> config.policy().disabled());
        keys.put("state", GatewayConfig::state);
        keys.put("approval", config -> java.util.List.of(config.approval(), config.approvalChannels()));
        keys.put("recording", GatewayConfig::recording);
        keys.put("audit", GatewayConfig::audit);
        keys.put("review", GatewayConfig::review);
        return keys;
    }
}
