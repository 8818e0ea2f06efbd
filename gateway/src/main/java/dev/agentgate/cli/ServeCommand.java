package dev.agentgate.cli;

import dev.agentgate.audit.JsonLinesAuditSink;
import dev.agentgate.config.AuditConfig;
import dev.agentgate.config.ConfigException;
import dev.agentgate.config.ConfigLoader;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.transport.GatewayServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentgate serve --config FILE}: runs the gateway until the JVM is asked to stop. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
public final class ServeCommand implements Callable<Integer> {
    /** Exit code for a config file that cannot be used (same as picocli's usage errors). */
    static final int EXIT_CONFIG_ERROR = 2;

    static final int EXIT_STARTUP_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    /** Starts the server; replaceable so tests can check what reaches it without binding a port. */
    interface ServerStarter {
        GatewayServer start(GatewayConfig config) throws Exception;
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "YAML config file (see docs/config.md).")
    private Path configFile;

    private final ServerStarter starter;
    private final Function<String, String> env;

    public ServeCommand() {
        this(config -> GatewayServer.start(config, sessionEventSinks(config)), System::getenv);
    }

    /**
     * The sinks every session's events go to, in this order, made from the configuration: the one place where a
     * session recording or an audit log joins the gateway.
     */
    static List<SessionEvents> sessionEventSinks(GatewayConfig config) throws IOException {
        List<SessionEvents> sinks = new ArrayList<>();
        if (config.audit().enabled()) {
            sinks.add(auditExport(config.audit()));
        }
        return sinks;
    }

    /** The SIEM export; a file that cannot be opened stops the start, naming the key. */
    private static JsonLinesAuditSink auditExport(AuditConfig audit) throws IOException {
        try {
            JsonLinesAuditSink sink = JsonLinesAuditSink.open(audit.jsonl());
            log.info("session and decision events are exported as JSON lines to {}", audit.jsonl());
            return sink;
        } catch (IOException e) {
            throw new IOException("audit.jsonl: cannot open " + audit.jsonl() + ": " + e, e);
        }
    }

    ServeCommand(ServerStarter starter, Function<String, String> env) {
        this.starter = starter;
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("config error: " + e.getMessage());
            return EXIT_CONFIG_ERROR;
        }
        GatewayServer server;
        try {
            server = starter.start(config);
        } catch (Exception e) {
            log.error("gateway failed to start", e);
            spec.commandLine().getErr().println("startup failed: " + e.getMessage());
            return EXIT_STARTUP_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownGracefully, "agentgate-shutdown"));
        ReloadOnHangup.install(configFile, env, server);
        server.awaitTermination();
        return 0;
    }
}
