package dev.agentgate.cli;

import dev.agentgate.config.Durations;
import dev.agentgate.identity.DevIssuer;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code agentgate dev keygen|token|sso}: a local token issuer for development (trusted only in dev mode). */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description =
                "Development helpers: a local token issuer, trusted by the gateway only with dev_mode: true, and a"
                        + " local sign-in issuer for the approval page.",
        subcommands = {DevCommand.Keygen.class, DevCommand.Token.class, DevSsoCommand.class})
public final class DevCommand implements Runnable {
    /** Exit code when a key file cannot be written or read. */
    static final int EXIT_KEY_FILE_ERROR = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: 'keygen', 'token' or 'sso'");
    }

    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            description = {
                "Writes a new EC P-256 private JWK (ES256) for the dev issuer and prints its path.",
                "The file is created readable by its owner only; an existing file is never overwritten.",
                "Point identity.dev_issuer.key_file at it."
            })
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Key file to create.")
        private Path out;

        @Override
        public Integer call() {
            try {
                DevIssuer.writeKeyFile(DevIssuer.generateKey(), out);
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println("keygen: " + out + " already exists, not overwriting a key");
                return EXIT_KEY_FILE_ERROR;
            } catch (IOException e) {
                spec.commandLine().getErr().println("keygen: cannot write " + out + ": " + e);
                return EXIT_KEY_FILE_ERROR;
            }
            spec.commandLine().getOut().println(out);
            return 0;
        }
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description = {
                "Mints an ES256 JWT of issuer '" + DevIssuer.ISSUER + "' and prints it.",
                "--claim values that are true/false or numbers become JSON booleans/numbers, anything else a"
                        + " string (--claim groups=a,b is the string \"a,b\"). For arrays, objects or a string that"
                        + " looks like a number use --claim-json, e.g. --claim-json 'groups=[\"a\",\"b\"]'."
            })
    static final class Token implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--key",
                required = true,
                paramLabel = "FILE",
                description = "Private JWK written by 'agentgate dev keygen'.")
        private Path keyFile;

        @Option(names = "--sub", required = true, paramLabel = "SUBJECT", description = "The sub claim.")
        private String subject;

        @Option(
                names = "--aud",
                defaultValue = "agentgate",
                paramLabel = "AUDIENCE",
                description = "The aud claim (default: ${DEFAULT-VALUE}).")
        private String audience;

        @Option(
                names = "--ttl",
                defaultValue = "1h",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description = "Lifetime, e.g. 90s, 15m, 1h (default: ${DEFAULT-VALUE}).")
        private Duration ttl;

        @CommandLine.Mixin
        private DevClaimOptions claimOptions = new DevClaimOptions();

        @Override
        public Integer call() {
            Map<String, Object> extraClaims = claimOptions.claims();
            DevIssuer issuer;
            try {
                issuer = DevIssuer.fromKeyFile(keyFile, Clock.systemUTC());
            } catch (IOException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("token: cannot use key " + keyFile + ": " + e.getMessage());
                return EXIT_KEY_FILE_ERROR;
            }
            try {
                spec.commandLine().getOut().println(issuer.mint(subject, audience, ttl, extraClaims));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return 0;
        }
    }

    /** Durations as in the config file ("90s", "15m", "1h"). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
