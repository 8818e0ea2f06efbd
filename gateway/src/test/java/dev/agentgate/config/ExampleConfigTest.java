package dev.agentgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented example must stay loadable and must document the defaults truthfully. */
class ExampleConfigTest {
    /** Surefire runs in the module directory, gateway/. */
    private static final Path EXAMPLE = Path.of("../docs/agentgate.example.yaml");

    private static GatewayConfig loadExample() {
        return ConfigLoader.load(EXAMPLE, Map.of("APPDB_PASSWORD", "example-secret")::get);
    }

    @Test
    void loadsWithItsEnvironmentVariablesSupplied() {
        GatewayConfig config = loadExample();

        assertThat(config.target("appdb").orElseThrow().password()).isEqualTo("example-secret");
        assertThat(config.identity().issuers())
                .extracting(IssuerConfig::issuer)
                .containsExactly("https://token.actions.githubusercontent.com");
    }

    @Test
    void showsTheDefaultOfEveryKey() {
        GatewayConfig config = loadExample();

        assertThat(config.devMode()).isFalse();
        assertThat(config.listen()).isEqualTo(ListenConfig.defaults());
        assertThat(config.tls()).isEqualTo(TlsConfig.disabled());
        assertThat(config.auth()).isEqualTo(AuthConfig.defaults());
        assertThat(config.admin()).isEqualTo(AdminConfig.disabled());
        assertThat(config.policy()).isEqualTo(PolicyConfig.defaults());
        assertThat(config.identity().clockSkew()).isEqualTo(IdentityConfig.DEFAULT_CLOCK_SKEW);
        assertThat(config.target("appdb"))
                .contains(TargetConfig.of("appdb", "127.0.0.1", 3306, "agentgate_svc", "example-secret"));
    }
}
