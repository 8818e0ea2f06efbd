package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional admin section. */
class AdminSectionLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void disablesTheAdminEndpointWhenTheSectionIsAbsent() {
        assertThat(fixture.load(ISSUER + TARGET).admin()).isEqualTo(AdminConfig.disabled());
    }

    @Test
    void readsEveryAdminKey() {
        GatewayConfig config =
                fixture.load(ISSUER + TARGET + "admin:\n  host: 0.0.0.0\n  port: 9191\n  enabled: true\n");

        assertThat(config.admin()).isEqualTo(new AdminConfig("0.0.0.0", 9191, true));
    }

    @Test
    void servesOnLoopbackPort9090UnlessToldOtherwise() {
        GatewayConfig config = fixture.load(ISSUER + TARGET + "admin:\n  enabled: true\n");

        assertThat(config.admin()).isEqualTo(AdminConfig.enabledOn("127.0.0.1", 9090));
    }

    @Test
    void keepsTheEndpointOffWhenTheSectionOmitsEnabled() {
        GatewayConfig config = fixture.load(ISSUER + TARGET + "admin:\n  port: 9191\n");

        assertThat(config.admin().enabled()).isFalse();
    }

    @Test
    void rejectsAMisspeltAdminKeyInsteadOfIgnoringIt() {
        fixture.assertRejected(
                ISSUER + TARGET + "admin:\n  enable: true\n",
                "unknown key 'admin.enable' (expected one of: host, port, enabled)");
    }

    @Test
    void rejectsAnAdminPortOutOfRange() {
        fixture.assertRejected(
                ISSUER + TARGET + "admin:\n  port: 70000\n", "admin.port: must be between 1 and 65535, was 70000");
    }

    @Test
    void rejectsAnEnabledValueThatIsNotABoolean() {
        fixture.assertRejected(
                ISSUER + TARGET + "admin:\n  enabled: maybe\n", "admin.enabled: must be true or false, was 'maybe'");
    }

    @Test
    void rejectsAnAdminPortEqualToTheListenPort() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  port: 9090\nadmin:\n  enabled: true\n",
                "admin.port: must differ from listen.port, was 9090");
    }

    @Test
    void rejectsAnAdminSectionThatIsNotAMapping() {
        fixture.assertRejected(ISSUER + TARGET + "admin: true\n", "admin: must be a mapping");
    }
}
