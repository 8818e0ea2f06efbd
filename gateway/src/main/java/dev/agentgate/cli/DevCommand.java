package dev.agentgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.config.Durations;
import dev.agentgate.identity.DevIssuer;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code agentgate dev keygen|token}: a local token issuer for development (trusted only in dev mode). */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Development helpers: a local token issuer, trusted by the gateway only with dev_mode: true.",
        subcommands = {DevCommand.Keygen.class, DevCommand.Token.class})
public final class DevCommand implements Runnable {
    /** Exit code when a key file cannot be written or read. */
    static final int EXIT_KEY_FILE_ERROR = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: 'keygen' or 'token'");
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
        private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
        private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
        private static final ObjectMapper JSON = new ObjectMapper();

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

        @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Extra claim; repeatable.")
        private Map<String, String> claims = new LinkedHashMap<>();

        @Option(
                names = "--claim-json",
                paramLabel = "NAME=JSON",
                description = "Extra claim given as JSON; repeatable.")
        private Map<String, String> jsonClaims = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Map<String, Object> extraClaims = extraClaims();
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

        private Map<String, Object> extraClaims() {
            Map<String, Object> all = new LinkedHashMap<>();
            claims.forEach((name, value) -> all.put(name, scalar(value)));
            jsonClaims.forEach((name, json) -> {
                if (all.containsKey(name)) {
                    throw new ParameterException(spec.commandLine(), "claim '" + name + "' is given twice");
                }
                all.put(name, parseJson(name, json));
            });
            return all;
        }

        static Object scalar(String value) {
            if (value.equals("true") || value.equals("false")) {
                return Boolean.valueOf(value);
            }
            if (INTEGER.matcher(value).matches()) {
                return Long.valueOf(value);
            }
            if (DECIMAL.matcher(value).matches()) {
                return Double.valueOf(value);
            }
            return value;
        }

        private Object parseJson(String name, String json) {
            try {
                return JSON.readValue(json, Object.class);
            } catch (JsonProcessingException e) {
                throw new ParameterException(
                        spec.commandLine(), "--claim-json " + name + ": not JSON: " + e.getOriginalMessage());
            }
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
