package dev.agentgate.cli;

import dev.agentgate.config.ConfigLoader;
import dev.agentgate.transport.GatewayServer;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code kill -HUP <pid>} reloads the config file into the running gateway ({@link GatewayServer#reload}). The file is
 * read and applied on a thread of its own, one reload at a time, never on the JVM's signal thread; a file that cannot
 * be used is refused (logged with its key path, counted on {@code /metrics}) and the running configuration kept.
 */
final class ReloadOnHangup {
    private static final Logger log = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {}

    static void install(Path configFile, Function<String, String> env, GatewayServer server) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "agentgate-config-reload");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> reload(configFile, env, server)));
            log.info("SIGHUP reloads {} (targets, identity, policy settings)", configFile);
        } catch (IllegalArgumentException unsupported) {
            log.warn("this platform has no SIGHUP: the configuration is not reloaded without a restart");
        }
    }

    private static void reload(Path configFile, Function<String, String> env, GatewayServer server) {
        log.info("SIGHUP: reloading {}", configFile);
        try {
            server.reload(() -> ConfigLoader.load(configFile, env));
        } catch (RuntimeException refused) {
            // logged and counted by the server; the running configuration stays
        }
    }
}
