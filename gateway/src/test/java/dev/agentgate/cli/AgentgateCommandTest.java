package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentgateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = AgentgateCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void printsTheVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("agentgate ");
    }

    @Test
    void listsTheServeCommandInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: agentgate", "serve", "Run the gateway.");
    }

    @Test
    void refusesToRunWithoutACommand() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).startsWith("missing command, e.g. 'serve'");
    }
}
