package dev.agentgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL programs ({@code /usr/lib/postgresql/<newest version>/bin}, or {@code $AGENTGATE_POSTGRES_BIN})
 * and how to run them. PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres} system
 * user that Debian's package creates ({@code runuser}), and the directories it writes must belong to that user.
 */
final class PostgresBinaries {

    private static final String SERVER_USER = "postgres";

    private final Path bin;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    private PostgresBinaries(Path bin) {
        this.bin = bin;
    }

    static PostgresBinaries find() throws IOException {
        String configured = System.getenv("AGENTGATE_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return new PostgresBinaries(Path.of(configured));
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> entries = Files.list(versions)) {
                Path newest = entries.map(version -> version.resolve("bin"))
                        .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                        .max(Comparator.comparing(PostgresBinaries::majorVersion))
                        .orElse(null);
                if (newest != null) {
                    return new PostgresBinaries(newest);
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql"
                + " (or set AGENTGATE_POSTGRES_BIN)");
    }

    /** The path of program {@code name}, e.g. {@code initdb}. */
    String command(String name) {
        return bin.resolve(name).toString();
    }

    /** As root, gives {@code directory} to the user the server runs as. */
    void handOver(Path directory) throws IOException {
        if (!root) {
            return;
        }
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName(SERVER_USER));
            view.setGroup(users.lookupPrincipalByGroupName(SERVER_USER));
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException(
                    "PostgreSQL does not run as root and there is no '" + SERVER_USER
                            + "' user to run it as (Debian's postgresql package creates it)",
                    e);
        }
    }

    /** {@code command} as the user the server runs as. */
    List<String> asServerUser(List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SERVER_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Runs {@code command} as the server's user to its end (60 s at most); returns its output, errors in {@code log}. */
    String run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(asServerUser(command))
                .redirectError(log.toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " failed: " + Files.readString(log));
        }
        return output;
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }
}
