package dev.agentgate.e2e.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Small Rego policies written by tests (OPA v1 syntax), and a safe way to replace one OPA is watching. */
final class TestPolicies {

    /** Allows every command; no cache_ttl_s, so the gateway asks OPA for every statement. */
    static final String ALLOW_ALL = """
      package agentgate

      decision := {"action": "allow", "reason": "allow: everything (test policy)"}
      """;

    private TestPolicies() {}

    /**
     * Writes {@code text} to {@code directory/name} atomically (a temporary file beside the directory, then a
     * rename), so that an OPA watching the directory never loads a half-written file; returns the file.
     */
    static Path write(Path directory, String name, String text) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory.toAbsolutePath().getParent(), name, ".tmp");
            Files.writeString(temporary, text);
            return Files.move(
                    temporary,
                    directory.resolve(name),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test policy " + name, e);
        }
    }
}
