package dev.agentgate.approval;

import static dev.agentgate.approval.ApprovalGatewayFixture.approver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.RecordingSessionEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What becomes of an approved UPDATE or DELETE over a real MariaDB, a real OPA and an SQLite state database: it may
 * change no more rows than its approvers were shown, and the session's record says how people decided it.
 */
@Tag("integration")
class ApprovedStatementTest {

    private static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {
            	"action": "require_approval",
            	"reason": "test: changes to stock need approval",
            	"approval": {"approvers": ["dba"], "mode": "hold", "timeout_s": 60, "channel": "test:#approvals"},
            } if {
            	input.statement.type in {"update", "delete"}
            	changes("stock")
            }

            decision := {
            	"action": "require_approval",
            	"reason": "test: changes to the ledger need a ticket",
            	"approval": {"approvers": ["dba"], "mode": "ticket", "timeout_s": 60, "channel": "test:#approvals"},
            } if {
            	input.statement.type == "update"
            	changes("ledger")
            }

            decision := {
            	"action": "require_approval",
            	"reason": "test: nobody answers in time",
            	"approval": {"approvers": ["dba"], "mode": "hold", "timeout_s": 1, "channel": "test:#approvals"},
            } if {
            	input.statement.type == "delete"
            	changes("scratch")
            }

            changes(name) if {
            	some t in input.statement.tables
            	t.name == name
            }
            """;

    private static final String CLOSE_OPEN = "UPDATE stock SET status = 'closed' WHERE status = 'open'";

    @TempDir
    static Path directory;

    private static MariaDbServer mariadb;
    private static OpaProcess opa;
    private static ApprovalGatewayFixture gateway;
    private static final RecordingSessionEvents events = new RecordingSessionEvents();
    private static final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        mariadb = MariaDbServer.start(Files.createDirectories(directory.resolve("mariadb")));
        ApprovalGatewayFixture.createServiceAccount(mariadb);
        mariadb.sql("CREATE DATABASE shop; CREATE TABLE shop.stock (id INT PRIMARY KEY, status VARCHAR(10))"
                + " ENGINE=InnoDB; CREATE TABLE shop.ledger (id INT PRIMARY KEY, status VARCHAR(10)) ENGINE=InnoDB;"
                + " CREATE TABLE shop.scratch (id INT PRIMARY KEY) ENGINE=InnoDB;");
        opa = OpaProcess.start(Files.writeString(directory.resolve("policy.rego"), REGO));
        gateway = ApprovalGatewayFixture.start(
                directory.resolve("gateway"),
                mariadb,
                opa,
                StateConfig.sqlite(directory.resolve("state.db")),
                ApprovalConfig.defaults(),
                new LoggingNotifier(),
                List.of(events));
        gateway.approvals().pending().join();
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        if (opa != null) {
            opa.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @BeforeEach
    void twoOpenRows() throws Exception {
        mariadb.sql("DELETE FROM shop.stock; INSERT INTO shop.stock VALUES (1, 'open'), (2, 'open'), (3, 'sold');"
                + " DELETE FROM shop.ledger; INSERT INTO shop.ledger VALUES (1, 'open'), (2, 'open');");
    }

    @AfterEach
    void noneLeftPending() {
        gateway.denyAllPending();
    }

    @Test
    void anUpdateApprovedForTwoRowsThatWouldChangeThreeIsRolledBackAndChangesNothing() throws Exception {
        CompletableFuture<Integer> update = inSession(statement -> statement.executeUpdate(CLOSE_OPEN));
        ApprovalRecord pending = gateway.onlyPending();
        assertThat(pending.request().estimatedRows()).isEqualTo(2L);
        mariadb.sql("INSERT INTO shop.stock VALUES (4, 'open')"); // between the count and the approval

        approve(pending);

        assertThatThrownBy(() -> update.get(40, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("request " + pending.request().id())
                .hasMessageContaining("approved to change at most 2 rows, but it would change 3 rows")
                .hasMessageContaining("rolled it back, so nothing changed");
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.stock WHERE status = 'open'"))
                .isEqualTo("3");
    }

    @Test
    void anUpdateThatChangesNoMoreRowsThanApprovedIsCommittedAndLeavesNoTransactionOpen() throws Exception {
        CompletableFuture<String> update = inSession(statement -> {
            int changed = statement.executeUpdate(CLOSE_OPEN);
            return changed + " " + single(statement, "SELECT @@in_transaction");
        });
        ApprovalRecord pending = gateway.onlyPending();
        mariadb.sql("UPDATE shop.stock SET status = 'sold' WHERE id = 2"); // fewer rows by the time it runs

        approve(pending);

        assertThat(update.get(40, TimeUnit.SECONDS)).isEqualTo("1 0");
        assertThat(mariadb.sql("SELECT GROUP_CONCAT(status ORDER BY id) FROM shop.stock"))
                .isEqualTo("closed,sold,sold");
    }

    @Test
    void insideTheClientsOwnTransactionTheApprovedStatementRunsUncheckedAndTheClientDecidesItsFate() throws Exception {
        CompletableFuture<String> update = inSession(statement -> {
            statement.execute("START TRANSACTION");
            int changed = statement.executeUpdate(CLOSE_OPEN);
            String open = single(statement, "SELECT @@in_transaction");
            statement.execute("ROLLBACK");
            return changed + " " + open;
        });
        ApprovalRecord pending = gateway.onlyPending();
        mariadb.sql("INSERT INTO shop.stock VALUES (4, 'open')");

        approve(pending);

        assertThat(update.get(40, TimeUnit.SECONDS)).isEqualTo("3 1");
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.stock WHERE status = 'open'"))
                .isEqualTo("3");
    }

    @Test
    void withAutocommitOffAStatementThatWouldChangeTooManyRowsIsRolledBackAndOneWithinItsCountIsLeftToTheClient()
            throws Exception {
        CompletableFuture<String> updates = inSession(statement -> {
            statement.getConnection().setAutoCommit(false);
            String tooMany;
            try {
                statement.executeUpdate("DELETE FROM stock WHERE status = 'open'");
                tooMany = "ran";
            } catch (SQLException refused) {
                tooMany = refused.getMessage();
            }
            int closed = statement.executeUpdate("UPDATE stock SET status = 'closed' WHERE id = 3");
            statement.getConnection().commit();
            return tooMany + " | " + closed;
        });
        ApprovalRecord delete = gateway.onlyPending();
        mariadb.sql("INSERT INTO shop.stock VALUES (4, 'open')");
        approve(delete);
        ApprovalRecord update = awaitPendingOtherThan(delete.request().id());
        approve(update);

        assertThat(updates.get(40, TimeUnit.SECONDS))
                .contains("at most 2 rows, but it would change 3 rows")
                .endsWith(" | 1");
        assertThat(mariadb.sql("SELECT GROUP_CONCAT(status ORDER BY id) FROM shop.stock"))
                .isEqualTo("open,open,closed,open");
    }

    @Test
    void anApprovedStatementsSessionRecordsWhoApprovedItWithTheCommandItDecided() throws Exception {
        CompletableFuture<Integer> update = inSession(statement -> statement.executeUpdate(CLOSE_OPEN));
        ApprovalRecord pending = gateway.onlyPending();

        approve(pending);
        update.get(40, TimeUnit.SECONDS);

        SessionEvent.ApprovalResolved resolved = resolutionOf(pending.request().id());
        assertThat(resolved.outcome()).isEqualTo("approved");
        assertThat(resolved.approvers()).containsExactly(DevIssuer.ISSUER + "|alice");
        assertThat(commandNumberOf(resolved.sessionId(), CLOSE_OPEN)).isEqualTo(resolved.commandNo());
    }

    @Test
    void aDeniedStatementsSessionRecordsTheDenialAndWhoDeniedIt() throws Exception {
        CompletableFuture<Integer> update = inSession(statement -> statement.executeUpdate(CLOSE_OPEN));
        ApprovalRecord pending = gateway.onlyPending();

        gateway.approvals()
                .decide(pending.request().id(), approver("carol", "dba"), Verdict.DENY, "127.0.0.1")
                .join();

        assertThatThrownBy(() -> update.get(40, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        SessionEvent.ApprovalResolved resolved = resolutionOf(pending.request().id());
        assertThat(resolved.outcome()).isEqualTo("denied");
        assertThat(resolved.approvers()).containsExactly(DevIssuer.ISSUER + "|carol");
    }

    @Test
    void aTicketsRerunThatWouldChangeMoreRowsThanItsApproversWereShownIsRolledBack() throws Exception {
        String closeLedger = "UPDATE ledger SET status = 'closed' WHERE status = 'open'";
        assertThatThrownBy(() -> inSession(statement -> statement.executeUpdate(closeLedger))
                        .get(40, TimeUnit.SECONDS))
                .hasMessageContaining("Run the identical statement again after approval");
        ApprovalRecord ticket = gateway.onlyPending();
        assertThat(ticket.request().estimatedRows()).isEqualTo(2L);
        approve(ticket);
        mariadb.sql("INSERT INTO shop.ledger VALUES (3, 'open')");

        assertThatThrownBy(() -> inSession(statement -> statement.executeUpdate(closeLedger))
                        .get(40, TimeUnit.SECONDS))
                .hasMessageContaining("request " + ticket.request().id())
                .hasMessageContaining("at most 2 rows, but it would change 3 rows");
        assertThat(mariadb.sql("SELECT COUNT(*) FROM shop.ledger WHERE status = 'open'"))
                .isEqualTo("3");
        SessionEvent.ApprovalResolved resolved = resolutionOf(ticket.request().id());
        assertThat(resolved.outcome()).isEqualTo("approved");
        assertThat(commandNumberOf(resolved.sessionId(), closeLedger)).isEqualTo(resolved.commandNo());
    }

    @Test
    void aHeldStatementsSessionRecordsThatItsRequestExpired() throws Exception {
        CompletableFuture<Integer> delete = inSession(statement -> statement.executeUpdate("DELETE FROM scratch"));

        assertThatThrownBy(() -> delete.get(40, TimeUnit.SECONDS)).hasMessageContaining("expired");
        SessionEvent.ApprovalResolved resolved = events.await(
                SessionEvent.ApprovalResolved.class, e -> e.outcome().equals("expired"), Duration.ofSeconds(20));
        assertThat(resolved.approvers()).isEmpty();
    }

    private interface Work<T> {
        T run(Statement statement) throws SQLException;
    }

    private static <T> CompletableFuture<T> inSession(Work<T> work) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Connection connection = gateway.connect("agent-7");
                            Statement statement = connection.createStatement()) {
                        return work.run(statement);
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                },
                clients);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void approve(ApprovalRecord pending) {
        assertThat(gateway.approvals()
                        .decide(pending.request().id(), approver("alice", "dba"), Verdict.APPROVE, "127.0.0.1")
                        .join())
                .isInstanceOf(DecideResult.Decided.class);
    }

    private static ApprovalRecord awaitPendingOtherThan(String id) throws InterruptedException {
        ApprovalGatewayFixture.awaitTrue(
                () -> gateway.approvals().pending().join().stream()
                        .anyMatch(r -> !r.request().id().equals(id)),
                "a second request");
        return gateway.approvals().pending().join().stream()
                .filter(r -> !r.request().id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static SessionEvent.ApprovalResolved resolutionOf(String requestId) throws InterruptedException {
        return events.await(
                SessionEvent.ApprovalResolved.class, e -> e.requestId().equals(requestId), Duration.ofSeconds(20));
    }

    private static long commandNumberOf(String sessionId, String sql) throws InterruptedException {
        return events.await(
                        SessionEvent.CommandReceived.class,
                        e -> e.sessionId().equals(sessionId) && sql.equals(e.sql()),
                        Duration.ofSeconds(20))
                .commandNo();
    }
}
