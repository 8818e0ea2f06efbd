package dev.agentgate.cli;

import dev.agentgate.config.ConfigException;
import dev.agentgate.config.ConfigLoader;
import dev.agentgate.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentgate config check}: loads a config file as {@code serve} would and says whether it is valid, without
 * starting anything; so a deployment (a Helm values change, a config map) can be checked before it rolls out.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with gateway config files.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: check");
    }

    /** Validates one config file: exit 0 and a summary, or {@link ServeCommand#EXIT_CONFIG_ERROR} and the key path. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate a config file (environment variables substituted as for serve).")
    static final class Check implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML config file.")
        private Path configFile;

        private final Function<String, String> env;

        Check() {
            this(System::getenv);
        }

        Check(Function<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            GatewayConfig config;
            try {
                config = ConfigLoader.load(configFile, env);
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("config error: " + e.getMessage());
                return ServeCommand.EXIT_CONFIG_ERROR;
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "config ok: instance %s, listening on %s:%d, %d target(s) %s, policy %s%n",
                            config.instanceId(),
                            config.listen().host(),
                            config.listen().port(),
                            config.targets().size(),
                            config.targets().keySet(),
                            config.policy().disabled()
                                    ? "disabled"
                                    : config.policy().opaUrl());
            if (config.recording().enabled()) {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "recording to %s%s%n",
                                config.recording().dir(),
                                config.recording()
                                        .s3()
                                        .map(s3 -> " and s3://" + s3.bucket() + "/" + s3.prefix()
                                                + (s3.endpoint() == null ? "" : " at " + s3.endpoint()))
                                        .orElse(""));
            }
            return 0;
        }
    }
}
