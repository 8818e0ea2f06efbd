package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    private static final String VALID_CONFIG = """
      identity:
        issuers:
          - issuer: https://issuer.example.com
            audiences: [agentgate]
      targets:
        appdb: {host: db.internal, user: svc, password: "${APPDB_PASSWORD}"}
      """;

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(CommandLine commandLine, String... args) {
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path configFile(String yaml) throws IOException {
        return Files.writeString(dir.resolve("agentgate.yaml"), yaml);
    }

    @Test
    void exitsWith2AndPrintsTheProblemWhenTheConfigIsInvalid() throws IOException {
        Path config = configFile(VALID_CONFIG + "listen:\n  port: 0\n");

        int exitCode = run(AgentgateCommand.commandLine(), "serve", "--config", config.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("config error: listen.port: must be between 1 and 65535, was 0" + System.lineSeparator());
    }

    @Test
    void exitsWith2WhenTheConfigFileDoesNotExist() {
        Path missing = dir.resolve("missing.yaml");

        int exitCode = run(AgentgateCommand.commandLine(), "serve", "--config", missing.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("config error: config file not found: " + missing + System.lineSeparator());
    }

    @Test
    void exitsWith2WhenTheConfigOptionIsMissing() {
        int exitCode = run(AgentgateCommand.commandLine(), "serve");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("Missing required option: '--config=FILE'");
    }

    @Test
    void startsTheServerWithTheLoadedConfigAndExitsWith1WhenStartingFails() throws IOException {
        Path config = configFile(VALID_CONFIG);
        AtomicReference<GatewayConfig> started = new AtomicReference<>();
        ServeCommand serve = new ServeCommand(
                loaded -> {
                    started.set(loaded);
                    throw new IOException("Address already in use");
                },
                Map.of("APPDB_PASSWORD", "pw")::get);

        int exitCode = run(new CommandLine(serve), "--config", config.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("startup failed: Address already in use" + System.lineSeparator());
        assertThat(started.get().target("appdb").orElseThrow().password()).isEqualTo("pw");
    }
}
