package dev.agentgate.transport.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BackendConnectRequestTest {

    private static final DefaultEventLoop LOOP = new DefaultEventLoop();
    private static final TargetConfig TARGET = new TargetConfig(
            "appdb",
            "127.0.0.1",
            3306,
            "svc",
            "pw",
            "defaultdb",
            Duration.ofSeconds(5),
            new BackendTlsConfig(BackendTlsMode.DISABLED, null));

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void dropsClientAttributesThatImpersonateTheGatewaysOwn() {
        BackendConnectRequest request = new BackendConnectRequest(
                TARGET,
                0,
                Map.of("_client_name", "libmysql", "agentgate.subject", "mallory", "agentgate.extra", "x"),
                Map.of("agentgate.subject", "alice"),
                null,
                45,
                LOOP);

        assertThat(request.connectAttributes())
                .containsOnly(Map.entry("_client_name", "libmysql"), Map.entry("agentgate.subject", "alice"));
    }

    @Test
    void usesTheTargetsDefaultDatabaseWhenTheClientNamesNone() {
        assertThat(new BackendConnectRequest(TARGET, 0, Map.of(), Map.of(), "", 45, LOOP).effectiveDatabase())
                .isEqualTo("defaultdb");
        assertThat(new BackendConnectRequest(TARGET, 0, Map.of(), Map.of(), "mine", 45, LOOP).effectiveDatabase())
                .isEqualTo("mine");
    }

    @Test
    void rejectsACharacterSetOutsideTheOneByteRange() {
        assertThatThrownBy(() -> new BackendConnectRequest(TARGET, 0, Map.of(), Map.of(), null, 256, LOOP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("characterSet must be a collation id between 1 and 255, was 256");
    }
}
