package dev.agentgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParseResult;

/**
 * How much the command line logs. {@code serve} is a server: it logs at INFO (or {@code AGENTGATE_LOG_LEVEL}).
 * Every other command is a tool whose output is what it prints: it logs warnings and errors only (to stderr, as
 * all logging), so the start-up lines of its connection pool and schema migration do not drown that output;
 * {@code --verbose} or an explicit {@code AGENTGATE_LOG_LEVEL} brings them back.
 */
final class CliLogging {

    static final String LEVEL_VARIABLE = "AGENTGATE_LOG_LEVEL";
    static final String VERBOSE_OPTION = "--verbose";

    private CliLogging() {}

    /** Sets the root log level for the command {@code parsed} names, before it runs. */
    static void configure(ParseResult parsed, Map<String, String> environment) {
        levelFor(parsed, environment)
                .ifPresent(
                        level -> ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level));
    }

    /** The level to set, or empty to keep the configured one (logback.xml: {@code AGENTGATE_LOG_LEVEL}, else INFO). */
    static Optional<Level> levelFor(ParseResult parsed, Map<String, String> environment) {
        if (environment.containsKey(LEVEL_VARIABLE)) {
            return Optional.empty();
        }
        boolean verbose = false;
        ParseResult command = parsed;
        while (true) {
            verbose |= command.hasMatchedOption(VERBOSE_OPTION);
            if (!command.hasSubcommand()) {
                break;
            }
            command = command.subcommand();
        }
        if (verbose || command.commandSpec().userObject() instanceof ServeCommand) {
            return Optional.empty();
        }
        return Optional.of(Level.WARN);
    }
}
