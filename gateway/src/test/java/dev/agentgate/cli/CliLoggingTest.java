package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class CliLoggingTest {

    private static final Map<String, String> NO_LEVEL_SET = Map.of();

    private static ParseResult parse(String... args) {
        return AgentgateCommand.commandLine().parseArgs(args);
    }

    @Test
    void aToolCommandLogsOnlyWarnings() {
        assertThat(CliLogging.levelFor(parse("sessions", "list", "--config", "agentgate.yaml"), NO_LEVEL_SET))
                .contains(Level.WARN);
    }

    @Test
    void aToolCommandWithVerboseKeepsTheConfiguredLevel() {
        assertThat(CliLogging.levelFor(
                        parse("sessions", "list", "--verbose", "--config", "agentgate.yaml"), NO_LEVEL_SET))
                .isEmpty();
    }

    @Test
    void verboseIsAcceptedBeforeTheCommandNameToo() {
        assertThat(CliLogging.levelFor(parse("--verbose", "dev", "keygen", "--out", "key.pem"), NO_LEVEL_SET))
                .isEmpty();
    }

    @Test
    void serveKeepsTheConfiguredLevel() {
        assertThat(CliLogging.levelFor(parse("serve", "--config", "agentgate.yaml"), NO_LEVEL_SET))
                .isEmpty();
    }

    @Test
    void anExplicitLogLevelInTheEnvironmentIsKeptForEveryCommand() {
        Optional<Level> level = CliLogging.levelFor(
                parse("sessions", "list", "--config", "agentgate.yaml"), Map.of("AGENTGATE_LOG_LEVEL", "DEBUG"));

        assertThat(level).isEmpty();
    }
}
