package dev.agentgate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the gateway secures its connection to a target, named like MySQL's {@code --ssl-mode}. */
public enum BackendTlsMode {
    DISABLED,
    PREFERRED,
    REQUIRED,
    VERIFY_CA,
    VERIFY_IDENTITY;

    /** The spelling used in the config file, e.g. {@code verify_ca}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled {@code configName} in the config file. */
    public static Optional<BackendTlsMode> fromConfigName(String configName) {
        return Arrays.stream(values())
                .filter(mode -> mode.configName().equals(configName))
                .findFirst();
    }
}
