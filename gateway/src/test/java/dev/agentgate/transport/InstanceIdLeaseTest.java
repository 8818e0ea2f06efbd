package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.session.InstanceLease;
import dev.agentgate.session.InstanceTakenException;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.PostgresServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gateways of a fleet on one real PostgreSQL state database, each holding its {@code instance_id}'s lease there: a
 * second gateway configured with an instance id in use refuses to start, one restarted after its predecessor stopped
 * or crashed starts.
 */
@Tag("integration")
class InstanceIdLeaseTest {

    private static PostgresServer postgres;
    private final List<GatewayServer> started = new ArrayList<>();

    @BeforeAll
    static void startTheStateDatabase() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopTheStateDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stopTheGateways() {
        started.forEach(GatewayServer::shutdownGracefully);
    }

    private GatewayServer start(String instanceId) throws Exception {
        GatewayServer gateway = GatewayServer.start(GatewayConfig.builder()
                .instanceId(instanceId)
                .listen(ListenConfig.defaults().withAddress("127.0.0.1", 0))
                // statements are not run here: OPA need not answer for the gateway to start
                .policy(PolicyConfig.defaults().withOpaUrl(URI.create("http://127.0.0.1:" + FreePorts.next())))
                .state(new StateConfig(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD, 2))
                .target(TargetConfig.of("appdb", "127.0.0.1", FreePorts.next(), "svc", "pw"))
                .build());
        started.add(gateway);
        return gateway;
    }

    @Test
    void aSecondGatewayWithTheInstanceIdOfARunningOneRefusesToStartNamingTheKey() throws Exception {
        start("gw-twin");

        assertThatThrownBy(() -> start("gw-twin"))
                .isInstanceOf(InstanceTakenException.class)
                .hasMessage("instance_id 'gw-twin' is in use by another running gateway (on " + InstanceLease.thisHost()
                        + ", it renews its lease in the state database): give every replica of a fleet its own"
                        + " instance_id");
    }

    @Test
    void gatewaysWithInstanceIdsOfTheirOwnStartSideBySide() throws Exception {
        start("gw-left");
        start("gw-right");

        assertThat(postgres.sql("SELECT gateway_instance FROM instance_leases WHERE gateway_instance LIKE 'gw-%t'"
                        + " ORDER BY gateway_instance"))
                .isEqualTo("gw-left\ngw-right");
    }

    @Test
    void aGatewayRestartedWithTheInstanceIdOfOneThatStoppedStartsAtOnce() throws Exception {
        GatewayServer first = start("gw-again");
        started.remove(first);
        first.shutdownGracefully();
        long before = System.nanoTime();

        start("gw-again");

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aGatewayRestartedWithTheInstanceIdOfOneThatCrashedStartsOnceItsLeaseIsStale() throws Exception {
        long renewed = System.currentTimeMillis() - InstanceLease.STALE_AFTER.toMillis() + 4_000;
        postgres.sql("INSERT INTO instance_leases (gateway_instance, holder, host, taken_at, renewed_at)"
                + " VALUES ('gw-crashed', 'a-process-that-died', 'old-host', " + renewed + ", " + renewed + ")");
        long before = System.nanoTime();

        start("gw-crashed");

        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
        assertThat(postgres.sql("SELECT host FROM instance_leases WHERE gateway_instance = 'gw-crashed'"))
                .isEqualTo(InstanceLease.thisHost());
    }
}
