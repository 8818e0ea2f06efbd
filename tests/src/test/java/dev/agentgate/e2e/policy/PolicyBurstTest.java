package dev.agentgate.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of sessions each sending one uncached statement at the same moment, many more than {@code
 * max_concurrent}: they wait their turn for OPA (a healthy, real one) and are all allowed; the gateway's own limit
 * opens no circuit. Scaled down (200 sessions, 4 calls at once) from 1000 against the default 256.
 */
class PolicyBurstTest {

    private static final int SESSIONS = 200;

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.opaPolicy(
                    opa.start(TestPolicies.write(policyDirectory, "allow_all.rego", TestPolicies.ALLOW_ALL)))
            .policySetting("max_concurrent", "4")
            .policySetting("timeout", "5s")
            .maxConnections(SESSIONS + 10));

    @Test
    void aBurstOfUncachedStatementsBeyondMaxConcurrentIsAllAllowed() throws Exception {
        List<Connection> connections = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
        try {
            for (int i = 0; i < SESSIONS; i++) {
                connections.add(gateway.connect(JdbcClient.CONNECTOR_J, "agent-burst-" + i));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Connection connection = connections.get(i);
                String sql = "SELECT 'burst " + i + "'";
                answers.add(clients.submit((Callable<String>) () -> {
                    start.await();
                    return Sql.scalar(connection, sql);
                }));
            }
            start.countDown();
            for (int i = 0; i < SESSIONS; i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("burst " + i);
            }
        } finally {
            clients.shutdownNow();
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
