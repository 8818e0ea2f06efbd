package dev.agentgate.config;

/** TLS modes towards a target, named like MySQL's {@code --ssl-mode}. */
public enum BackendTlsMode {
    DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY
}
