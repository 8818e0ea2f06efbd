package dev.agentgate.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes YAML into a test directory and loads it with a fixed environment. */
final class ConfigFixture {
    /** An identity section that satisfies "at least one issuer". */
    static final String ISSUER = """
      identity:
        issuers:
          - issuer: https://issuer.example.com
            audiences: [agentgate]
      """;
    /** A targets section that satisfies "at least one target". */
    static final String TARGET = """
      targets:
        appdb:
          host: db.internal
          user: agentgate_svc
          password: secret
      """;

    private final Path dir;
    private final Map<String, String> env;

    ConfigFixture(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    ConfigFixture(Path dir) {
        this(dir, Map.of());
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code yaml} as agentgate.yaml in the directory and loads it. */
    GatewayConfig load(String yaml) {
        return ConfigLoader.load(write("agentgate.yaml", yaml), env::get);
    }

    /** Asserts that loading {@code yaml} fails with exactly {@code message}. */
    void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    Path write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
