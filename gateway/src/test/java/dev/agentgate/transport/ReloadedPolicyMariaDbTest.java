package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.approval.ApprovalDecisions;
import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.DecideResult;
import dev.agentgate.approval.Verdict;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.testing.DevGateway;
import dev.agentgate.testing.RecordingSessionEvents;
import dev.agentgate.testing.S3Server;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose policy side was rebuilt by a reload keeps what the one it started with had: statements refused
 * while the session recording's S3 store is down ({@code on_failure: refuse}), and the live session told how its held
 * statement's approval was decided. Real MariaDB, OPA and S3 server.
 */
@Tag("integration")
class ReloadedPolicyMariaDbTest {

    private static final String POLICY = """
      package agentgate

      import rego.v1

      default decision := {"action": "allow", "reason": "test: allowed"}

      decision := {
      	"action": "require_approval",
      	"reason": "test: deletes need approval",
      	"approval": {"channel": "test:#approvals", "approvers": ["dba"], "mode": "hold", "timeout_s": 30},
      } if input.statement.type == "delete"
      """;

    @TempDir
    static Path directory;

    private static S3Server s3;
    private static DevGateway gateway;
    private static final RecordingSessionEvents events = new RecordingSessionEvents();

    @BeforeAll
    static void startAndReload() throws Exception {
        s3 = S3Server.start(directory.resolve("s3"), "sessions");
        RecordingConfig recording = RecordingConfig.inDirectory(directory.resolve("recordings"))
                .withOnFailure(RecordingConfig.OnFailure.REFUSE)
                .withS3(new RecordingConfig.S3Config(
                        s3.endpoint(),
                        s3.bucket(),
                        S3Server.REGION,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY,
                        true,
                        "recordings/"));
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY); INSERT INTO shop.orders VALUES (1);",
                MaskingConfig.NONE,
                new DevGateway.Options(List.of(events), ListenConfig.defaults().idleTimeout(), recording));
        gateway.server().reload(withSmallerDecisionCache(gateway.server().config()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void storeBackUp() {
        s3.restart();
    }

    @Test
    void afterAReloadStatementsAreRefusedWhileTheRecordingStoreIsDownAndRunOnceItIsBack() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 'before the store went down'").close();
            s3.stop();

            SQLException refused = firstRefusal(statement, Duration.ofSeconds(30));

            assertThat(refused.getErrorCode()).isEqualTo(1290);
            assertThat(refused.getMessage())
                    .contains("agentgate refuses statements while they cannot be recorded")
                    .containsPattern("cannot (reach the session recording store|upload session recordings to)"
                            + " s3://sessions/recordings/");

            s3.restart();
            assertThat(runsWithin(statement, Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void afterAReloadTheSessionOfAHeldStatementIsToldWhoApprovedIt() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
                try {
                    return statement.executeUpdate("DELETE FROM orders WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            ApprovalRecord pending = onlyPending();
            assertThat(approvals()
                            .decide(
                                    pending.request().id(),
                                    new Approver(DevIssuer.ISSUER, "alice", List.of("dba"), Approver.Via.API),
                                    Verdict.APPROVE,
                                    "127.0.0.1")
                            .join())
                    .isInstanceOf(DecideResult.Decided.class);

            assertThat(delete.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            SessionEvent.ApprovalResolved resolved = events.await(
                    SessionEvent.ApprovalResolved.class,
                    event -> event.requestId().equals(pending.request().id()),
                    Duration.ofSeconds(20));
            assertThat(resolved.outcome()).isEqualTo("approved");
            assertThat(resolved.approvers()).containsExactly(DevIssuer.ISSUER + "|alice");
        }
    }

    /** A change of a policy setting, so that the reload builds a new policy side. */
    private static GatewayConfig withSmallerDecisionCache(GatewayConfig running) {
        PolicyConfig policy = running.policy();
        return running.toBuilder()
                .policy(new PolicyConfig(
                        policy.opaUrl(),
                        policy.decisionPath(),
                        policy.timeout(),
                        policy.maxConcurrent(),
                        policy.circuitOpenFor(),
                        policy.cacheMaxEntries() / 2,
                        policy.analysisTimeout(),
                        policy.disabled(),
                        policy.masking()))
                .build();
    }

    private static ApprovalDecisions approvals() {
        return gateway.server().approvals();
    }

    private static ApprovalRecord onlyPending() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (approvals().pending().join().size() != 1) {
            assertThat(Instant.now()).as("one pending request within 30 s").isBefore(deadline);
            Thread.sleep(50);
        }
        return approvals().pending().join().get(0);
    }

    private static SQLException firstRefusal(Statement statement, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            try {
                statement.executeQuery("SELECT 'while the store is down'").close();
            } catch (SQLException refused) {
                return refused;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no statement was refused within " + within + " while the store was down");
    }

    private static boolean runsWithin(Statement statement, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            try {
                statement.executeQuery("SELECT 'after the store is back'").close();
                return true;
            } catch (SQLException stillRefused) {
                Thread.sleep(100);
            }
        }
        return false;
    }
}
