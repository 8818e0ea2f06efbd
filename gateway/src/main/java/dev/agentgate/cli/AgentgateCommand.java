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

    private static final String NETTY_REFLECTION = "io.netty.tryReflectionSetAccessible";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = CliLogging.VERBOSE_OPTION,
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log at INFO to stderr (serve always does; other commands otherwise log only warnings).")
    private boolean verbose;

    public static void main(String[] args) {
        useNettyDirectBuffersWithoutCleaner();
        CommandLine commandLine = commandLine();
        CommandLine.IExecutionStrategy run = commandLine.getExecutionStrategy();
        commandLine.setExecutionStrategy(parsed -> {
            CliLogging.configure(parsed, System.getenv());
            return run.execute(parsed);
        });
        System.exit(commandLine.execute(args));
    }

    /**
     * Lets Netty allocate its direct buffers itself and free them when released (no JDK cleaner), which also gives
     * it its Unsafe accessors: every byte relayed is copied through such buffers, and with the JDK's
     * {@code DirectByteBuffer} each copy goes through NIO views (bench/masking.sh). It needs {@code java.nio}
     * open to Netty, which the jar's manifest does ({@code Add-Opens}) when run with {@code java -jar}; an explicit
     * {@code -Dio.netty.tryReflectionSetAccessible} wins. Before any Netty class loads, as Netty reads it once.
     */
    static void useNettyDirectBuffersWithoutCleaner() {
        if (System.getProperty(NETTY_REFLECTION) == null) {
            System.setProperty(NETTY_REFLECTION, "true");
        }
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
