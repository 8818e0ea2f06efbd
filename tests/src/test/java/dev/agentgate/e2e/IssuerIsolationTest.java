package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.HangingIssuer;
import dev.agentgate.e2e.env.JdbcClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two trusted issuers, one of which accepts connections and never answers: the other's logins stay fast. */
class IssuerIsolationTest {

    private static final int HANGING_LOGINS = 12;
    /** The gateway's read time-out for discovery/JWKS requests: how long each hanging request lasts. */
    private static final Duration ISSUER_READ_TIMEOUT = Duration.ofSeconds(3);

    private static final HangingIssuer hanging = HangingIssuer.start();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.alsoTrust(hanging.issuer()));

    @AfterAll
    static void closeHangingIssuer() {
        hanging.close();
    }

    @Test
    void anIssuerThatNeverAnswersDoesNotSlowTheLoginsOfAnotherIssuer() throws Exception {
        gateway.connect(JdbcClient.CONNECTOR_J, "agent-warm-up").close();
        ExecutorService clients = Executors.newFixedThreadPool(HANGING_LOGINS);
        try {
            List<CompletableFuture<Void>> hangingLogins = new ArrayList<>();
            for (int i = 0; i < HANGING_LOGINS; i++) {
                hangingLogins.add(CompletableFuture.runAsync(this::loginWithATokenOfTheHangingIssuer, clients));
            }
            awaitAConnectionToTheHangingIssuer();

            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "agent-healthy-" + i)) {
                    assertThat(connection.isValid(5)).isTrue();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("login of the healthy issuer while the other hangs")
                        .isLessThan(ISSUER_READ_TIMEOUT.dividedBy(2));
            }
            assertThat(hangingLogins)
                    .as("the hanging issuer's logins were still waiting while the healthy ones were measured")
                    .anyMatch(login -> !login.isDone());
            CompletableFuture.allOf(hangingLogins.toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aTokenOfTheIssuerThatNeverAnswersIsRefusedAsKeysUnavailableNotLeftHanging() {
        long start = System.nanoTime();

        loginWithATokenOfTheHangingIssuer();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    private void loginWithATokenOfTheHangingIssuer() {
        String token =
                gateway.issuer().token("agent-hanging").issuer(hanging.issuer()).mint();
        assertSqlError(
                () -> gateway.connectWithToken(JdbcClient.CONNECTOR_J, token).close(),
                1045,
                "28000",
                "issuer signing keys unavailable");
    }

    private static void awaitAConnectionToTheHangingIssuer() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (hanging.connectionsAccepted() == 0) {
            assertThat(System.nanoTime())
                    .as("the gateway asked the hanging issuer")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
