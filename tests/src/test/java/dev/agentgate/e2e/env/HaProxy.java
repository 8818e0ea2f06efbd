package dev.agentgate.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's HAProxy in TCP mode in front of gateways, as a platform team runs a fleet: round robin, a TCP check
 * every 500 ms that takes a dead replica out after one failure, and a failed connect sent to the next replica
 * ({@code option redispatch}). {@code haproxy} must be on the PATH ({@code apt-get install haproxy}).
 */
public final class HaProxy implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path home;

    private HaProxy(Process process, int port, Path home) {
        this.process = process;
        this.port = port;
        this.home = home;
    }

    /** Balances over the gateways listening on {@code gatewayPorts} (loopback). */
    public static HaProxy inFrontOf(List<Integer> gatewayPorts) {
        try {
            Path home = Files.createTempDirectory("agentgate-haproxy-");
            int port = FreePort.find();
            String servers = gatewayPorts.stream()
                    .map(gatewayPort -> "  server gw" + gatewayPort + " 127.0.0.1:" + gatewayPort
                            + " check inter 500ms fall 1 rise 2")
                    .collect(Collectors.joining("\n"));
            Path config = Files.writeString(home.resolve("haproxy.cfg"), """
                    defaults
                      mode tcp
                      timeout connect 2s
                      timeout client 5m
                      timeout server 5m
                      retries 2
                      option redispatch
                    frontend mysql
                      bind 127.0.0.1:%d
                      default_backend gateways
                    backend gateways
                      balance roundrobin
                    %s
                    """.formatted(port, servers));
            Path log = home.resolve("haproxy.log");
            Process process;
            try {
                process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException missing) {
                throw new IllegalStateException("haproxy not found: apt-get install haproxy", missing);
            }
            HaProxy proxy = new HaProxy(process, port, home);
            if (!FreePort.await(Duration.ofSeconds(20), process::isAlive, () -> FreePort.isAccepting(port))) {
                String tail = Processes.tail(log, 20);
                proxy.close();
                throw new IllegalStateException("haproxy did not listen on " + port + ":\n" + tail);
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        Processes.stop(process, 5);
        Processes.deleteRecursively(home);
    }
}
