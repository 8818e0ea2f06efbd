package dev.agentgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    private static final TargetConfig APPDB = TargetConfig.of("appdb", "127.0.0.1", 3306, "svc", "pw");
    private static final GatewayConfig RUNNING =
            GatewayConfig.builder().target(APPDB).build();

    @Test
    void aNewTargetIsAReloadableChangeOfTheTargetsOnly() {
        GatewayConfig next = GatewayConfig.builder()
                .target(APPDB)
                .target(TargetConfig.of("reports", "127.0.0.1", 3306, "svc", "pw"))
                .build();

        ConfigChanges changes = new ConfigChanges(RUNNING, next).requireReloadable();

        assertThat(changes.targets()).isTrue();
        assertThat(changes.identity()).isFalse();
        assertThat(changes.policy()).isFalse();
        assertThat(changes.describe()).isEqualTo("targets");
    }

    @Test
    void aPolicySettingIsAReloadableChange() {
        GatewayConfig next = GatewayConfig.builder()
                .target(APPDB)
                .policy(PolicyConfig.defaults().withOpaUrl(URI.create("http://127.0.0.1:9999")))
                .build();

        assertThat(new ConfigChanges(RUNNING, next).requireReloadable().describe())
                .isEqualTo("policy");
    }

    @Test
    void aChangedListenerIsRefusedNamingItsKey() {
        ListenConfig otherPort = new ListenConfig(
                "127.0.0.1",
                4407,
                10,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ZERO,
                null,
                ListenConfig.DEFAULT_MAX_PACKET_SIZE);
        GatewayConfig next =
                GatewayConfig.builder().target(APPDB).listen(otherPort).build();

        assertThatThrownBy(() -> new ConfigChanges(RUNNING, next).requireReloadable())
                .isInstanceOf(ConfigException.class)
                .hasMessage("listen: changed, which takes effect only after a restart");
    }

    @Test
    void theSameFileAgainChangesNothing() {
        GatewayConfig same = GatewayConfig.builder().target(APPDB).build();

        assertThat(new ConfigChanges(RUNNING, same).requireReloadable().any()).isFalse();
    }
}
