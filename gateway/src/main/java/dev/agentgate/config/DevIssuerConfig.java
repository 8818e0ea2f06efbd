package dev.agentgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The local development token issuer ({@code identity.dev_issuer}, dev mode only).
 *
 * @param keyFile private JWK written by {@code agentgate dev keygen}; the gateway trusts its public half
 */
public record DevIssuerConfig(Path keyFile, List<String> audiences) {
    public static final List<String> DEFAULT_AUDIENCES = List.of("agentgate");

    public DevIssuerConfig {
        Objects.requireNonNull(keyFile, "dev issuer keyFile must not be null");
        audiences = List.copyOf(audiences);
    }
}
