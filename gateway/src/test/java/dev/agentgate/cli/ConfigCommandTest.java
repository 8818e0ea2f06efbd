package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
    private static final String VALID_CONFIG = """
      instance_id: gw-a
      identity:
        issuers:
          - issuer: https://issuer.example.com
            audiences: [agentgate]
      targets:
        appdb: {host: db.internal, user: svc, password: "${APPDB_PASSWORD}"}
      """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(String yaml, Map<String, String> env) throws IOException {
        Path config = Files.writeString(dir.resolve("agentgate.yaml"), yaml);
        CommandLine commandLine = new CommandLine(new ConfigCommand.Check(env::get));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("--config", config.toString());
    }

    @Test
    void aValidConfigExitsWith0AndSaysWhatItConfigures() throws IOException {
        int exitCode = check(VALID_CONFIG, Map.of("APPDB_PASSWORD", "secret"));

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .isEqualTo("config ok: instance gw-a, listening on 0.0.0.0:3307, 1 target(s) [appdb], policy"
                        + " http://127.0.0.1:8181" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anInvalidConfigExitsWith2AndNamesTheKeyPath() throws IOException {
        int exitCode = check(VALID_CONFIG + "listen:\n  port: 70000\n", Map.of("APPDB_PASSWORD", "secret"));

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "config error: listen.port: must be between 1 and 65535, was 70000" + System.lineSeparator());
    }

    @Test
    void aConfigNamingAnUnsetVariableExitsWith2AndNamesTheVariable() throws IOException {
        int exitCode = check(VALID_CONFIG, Map.of());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("APPDB_PASSWORD");
    }

    @Test
    void theCheckIsReachableFromTheAgentgateCommandLine() {
        CommandLine commandLine = AgentgateCommand.commandLine();

        assertThat(commandLine.getSubcommands().get("config").getSubcommands()).containsKey("check");
    }
}
