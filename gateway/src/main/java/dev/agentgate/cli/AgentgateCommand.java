package dev.agentgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code agentgate} command line; main class of the shaded jar. */
@Command(
        name = "agentgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Identity-aware, policy-enforcing MySQL gateway.",
        subcommands = {
            ServeCommand.class,
            DevCommand.class,
            ConfigCommand.class,
            ApprovalsCommand.class,
            SessionsCommand.class,
            PolicyCommand.class,
        })
public final class AgentgateCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = CliLogging.VERBOSE_OPTION,
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log at INFO to stderr (serve always does; other commands otherwise log only warnings).")
    private boolean verbose;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        CommandLine.IExecutionStrategy run = commandLine.getExecutionStrategy();
        commandLine.setExecutionStrategy(parsed -> {
            CliLogging.configure(parsed, System.getenv());
            return run.execute(parsed);
        });
        System.exit(commandLine.execute(args));
    }

    /** The configured command line, also used by tests to run commands with captured output. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentgateCommand());
    }

    /** Without a sub-command there is nothing to do: show what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. 'serve'");
    }
}
