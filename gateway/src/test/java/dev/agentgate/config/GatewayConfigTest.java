package dev.agentgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Building configs in code, as tests of other packages do. */
class GatewayConfigTest {
    private static final TargetConfig APPDB = TargetConfig.of("appdb", "127.0.0.1", 3306, "svc", "hunter2-secret");

    @Test
    void buildsFromDefaultsWithTheGivenTargetsInOrder() {
        TargetConfig other = TargetConfig.of("other", "127.0.0.1", 3307, "svc", "pw");

        GatewayConfig config =
                GatewayConfig.builder().target(APPDB).target(other).build();

        assertThat(config.listen()).isEqualTo(ListenConfig.defaults());
        assertThat(config.identity().issuers()).isEmpty();
        assertThat(config.admin()).isEqualTo(AdminConfig.disabled());
        assertThat(config.targets().keySet()).containsExactly("appdb", "other");
    }

    @Test
    void listensOnAnEphemeralLoopbackPortForTests() {
        ListenConfig listen = ListenConfig.defaults().withAddress("127.0.0.1", 0);

        assertThat(GatewayConfig.builder().listen(listen).build().listen())
                .extracting(ListenConfig::host, ListenConfig::port, ListenConfig::maxConnections)
                .containsExactly("127.0.0.1", 0, ListenConfig.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void neverPrintsATargetPasswordInItsToString() {
        GatewayConfig config = GatewayConfig.builder()
                .devMode(true)
                .identity(new IdentityConfig(IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), null))
                .target(APPDB)
                .build();

        assertThat(config.toString()).doesNotContain("hunter2").contains("password=****");
    }
}
