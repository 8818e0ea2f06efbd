package dev.agentgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository that tests read as they are shipped: the policies in {@code rego/} and
 * the contract in {@code docs/schemas/}. The root is {@code -Dagentgate.repo.root=...}, else the
 * nearest directory above the working directory that holds both {@code rego/} and {@code docs/}.
 */
public final class RepoFiles {

    private RepoFiles() {}

    public static Path root() {
        String configured = System.getProperty("agentgate.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("rego")) && Files.isDirectory(dir.resolve("docs/schemas"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory with rego/ and docs/schemas/ above "
                + Path.of("").toAbsolutePath() + "; set -Dagentgate.repo.root");
    }

    /** The shipped policies and their data.json. */
    public static Path regoDir() {
        return root().resolve("rego");
    }

    public static Path schemasDir() {
        return root().resolve("docs").resolve("schemas");
    }
}
