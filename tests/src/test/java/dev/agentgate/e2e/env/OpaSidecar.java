package dev.agentgate.e2e.env;

import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.OpaProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A real OPA sidecar for one test class, started by the gateway's configuration (it must run before the
 * gateway is configured with its URL) and stopped after the class. Register it before the
 * {@link GatewayExtension} so that it outlives the gateway:
 * <pre>{@code
 * @RegisterExtension @Order(1) static final OpaSidecar opa = new OpaSidecar();
 * @RegisterExtension @Order(2) static final GatewayExtension gateway = GatewayExtension.configuredWithIssuer(
 *     (issuer, config) -> config.opaPolicy(opa.start(ShippedPolicy.files(issuer, dir))));
 * }</pre>
 * OPA runs with {@code --watch} (a rewritten policy file is reloaded) and with console decision logs, so
 * that every answer carries a {@code decision_id}.
 */
public final class OpaSidecar implements AfterAllCallback, TestWatcher {

    private static final List<String> OPTIONS = List.of("--set", "decision_logs.console=true");

    private OpaProcess process;
    private Path[] policies;

    /** Starts OPA serving {@code policies} (files or directories); returns its URL for the gateway config. */
    public String start(Path... files) {
        policies = files.clone();
        process = OpaProcess.startOnPort(FreePorts.next(), OPTIONS, policies);
        return process.url().toString();
    }

    /** Kills OPA at once (SIGKILL), as a crashed sidecar. */
    public void kill() {
        process.kill();
    }

    /** Starts OPA again on the same port with the same policies, after {@link #kill()}. */
    public void restart() {
        process = OpaProcess.startOnPort(process.port(), OPTIONS, policies);
    }

    /** Freezes OPA (SIGSTOP): connections are accepted but never answered. */
    public void freeze() {
        process.freeze();
    }

    public void thaw() {
        process.thaw();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process != null) {
            System.err.println("---- " + context.getDisplayName() + " failed; tail of the OPA log ----");
            System.err.println(process.logTail());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
    }
}
