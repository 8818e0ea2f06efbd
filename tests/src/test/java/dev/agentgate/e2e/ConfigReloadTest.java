package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -HUP} of the gateway process reloads its config file: a new target can be logged in to at once, a
 * session open across the reload keeps working, and a file that cannot be used is refused with its key path in the
 * log while the running configuration stays.
 */
class ConfigReloadTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);

    private String original;

    @BeforeEach
    void keepTheStartingFile() throws IOException {
        original = Files.readString(configFile());
    }

    @AfterEach
    void restoreTheStartingFile() throws Exception {
        if (!Files.readString(configFile()).equals(original)) {
            Files.writeString(configFile(), original);
            reloadAndAwait("configuration reload");
        }
    }

    @Test
    void aSessionOpenAcrossAReloadKeepsWorkingAndTheNewTargetTakesLogins() throws Exception {
        try (Connection live = gateway.connect(JdbcClient.CONNECTOR_J, "alice")) {
            String backendThread = Sql.scalar(live, "SELECT CONNECTION_ID()");
            Files.writeString(configFile(), original + copyOfTheTarget("reports"));

            reloadAndAwait("configuration reloaded: targets changed");

            assertThat(Sql.scalar(live, "SELECT CONNECTION_ID()"))
                    .as("the same backend session, not a new one")
                    .isEqualTo(backendThread);
            try (Connection reports = JdbcClient.MARIADB_CONNECTOR_J.connect(
                    gateway.process(), "reports", gateway.issuer().valid("alice"))) {
                assertThat(Sql.scalar(reports, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void anInvalidFileIsRefusedWithItsKeyPathAndTheRunningConfigurationKept() throws Exception {
        Files.writeString(configFile(), original.replaceFirst("(?m)^    port: \\d+$", "    port: 0"));

        String refusal = reloadAndAwait("configuration reload refused");

        assertThat(refusal).contains("targets.appdb.port");
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "alice")) {
            assertThat(Sql.scalar(connection, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aChangeThatNeedsARestartIsRefusedNamingItsSection() throws Exception {
        Files.writeString(configFile(), original.replaceFirst("(?m)^  max_connections: \\d+$", "  max_connections: 7"));

        assertThat(reloadAndAwait("configuration reload refused"))
                .contains("listen: changed, which takes effect only after a restart");
    }

    private static Path configFile() {
        return gateway.process().configFile();
    }

    /** A second target named {@code name}: the first one's settings (the file's last section) under another name. */
    private String copyOfTheTarget(String name) {
        String first = original.substring(original.indexOf("\n  " + GatewayExtension.TARGET + ":\n") + 1);
        return first.replaceFirst("  " + GatewayExtension.TARGET + ":", "  " + name + ":");
    }

    /** Sends SIGHUP and waits for the next log line containing {@code message}; returns that line. */
    private static String reloadAndAwait(String message) throws Exception {
        int seen = lines(message);
        Process kill = new ProcessBuilder(
                        "kill", "-HUP", Long.toString(gateway.process().pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        while (lines(message) <= seen) {
            assertThat(System.nanoTime())
                    .as("log line '" + message + "' after SIGHUP")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        return Files.readAllLines(gateway.process().logFile()).stream()
                .filter(line -> line.contains(message))
                .reduce((first, last) -> last)
                .orElseThrow();
    }

    private static int lines(String message) throws IOException {
        return (int) Files.readAllLines(gateway.process().logFile()).stream()
                .filter(line -> line.contains(message))
                .count();
    }
}
