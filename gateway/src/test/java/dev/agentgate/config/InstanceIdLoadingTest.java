package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top-level instance_id: the gateway's name in a fleet. */
class InstanceIdLoadingTest {
    @TempDir
    Path dir;

    @Test
    void takesTheInstanceIdAsConfigured() {
        GatewayConfig config = new ConfigFixture(dir).load("instance_id: gw-eu-1\n" + ISSUER + TARGET);

        assertThat(config.instanceId()).isEqualTo("gw-eu-1");
    }

    @Test
    void defaultsToTheHostNameReducedToTheAllowedCharacters() {
        GatewayConfig config = new ConfigFixture(dir, Map.of("HOSTNAME", "Agentgate-7f9c/Pod 2")).load(ISSUER + TARGET);

        assertThat(config.instanceId()).isEqualTo("agentgate-7f9c-pod-2");
    }

    @Test
    void refusesAnInstanceIdWithCharactersOutsideTheAllowedSet() {
        new ConfigFixture(dir)
                .assertRejected(
                        "instance_id: 'gw 1'\n" + ISSUER + TARGET,
                        "instance_id: must be 1-63 letters, digits, '.', '_' or '-' starting with a letter or digit,"
                                + " was 'gw 1'");
    }

    @Test
    void refusesAnInstanceIdLongerThan63Characters() {
        String tooLong = "g".repeat(64);
        new ConfigFixture(dir)
                .assertRejected(
                        "instance_id: " + tooLong + "\n" + ISSUER + TARGET,
                        "instance_id: must be 1-63 letters, digits, '.', '_' or '-' starting with a letter or digit,"
                                + " was '" + tooLong + "'");
    }
}
