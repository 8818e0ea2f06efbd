package dev.agentgate.config;

import java.nio.file.Path;

/** How the gateway secures its connection to a target; {@code caFile} is used by the verifying modes. */
public record BackendTlsConfig(BackendTlsMode mode, Path caFile) {
}
