package dev.agentgate.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.e2e.env.HaProxy;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import dev.agentgate.testing.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas behind HAProxy (TCP), sharing a state database (its own schema on MariaDB), an S3 bucket for
 * recordings (s3proxy) and OPA: approvals, the session index, recordings, connection ids and KILL are the fleet's,
 * not a replica's. The last tests kill a replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {

    private static final String POLICY = """
            package agentgate

            default decision := {"action": "allow", "reason": "fleet: allowed"}

            decision := {
              "action": "require_approval",
              "reason": "fleet: deleting needs approval",
              "approval": {"approvers": ["approver-1"], "mode": "ticket"},
            } if {
              input.command.type == "query"
              startswith(lower(input.statement.sql), "delete")
            }

            decision := {"action": "deny", "reason": "fleet: this agent may not kill"} if {
              input.identity.subject == "agent-no-kill"
              startswith(lower(input.statement.sql), "kill")
            }
            """;
    private static final Pattern TICKET = Pattern.compile("apr-[0-9a-f]+");
    private static final Pattern SESSION = Pattern.compile("\\bgw-[ab]-[0-9a-f]{16}\\b");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final OpaSidecar opa = new OpaSidecar();

    private static OidcIssuer issuer;
    private static S3Server s3;
    private static Fleet fleet;
    private static Fleet.Replica a;
    private static Fleet.Replica b;
    private static HaProxy balancer;

    @BeforeAll
    static void startTheFleet() throws Exception {
        MariaDbServer mariadb = MariaDbServer.shared();
        mariadb.execute(
                "DROP TABLE IF EXISTS agentgate_test.fleet_notes",
                "CREATE TABLE agentgate_test.fleet_notes (id INT PRIMARY KEY, note VARCHAR(40))",
                "INSERT INTO agentgate_test.fleet_notes VALUES (1, 'keep'), (2, 'delete me')");
        issuer = OidcIssuer.start();
        s3 = S3Server.start(dir.resolve("s3"), "agentgate-sessions");
        Path policies = Files.createDirectories(dir.resolve("policy"));
        Files.writeString(policies.resolve("fleet.rego"), POLICY);
        fleet = new Fleet(issuer, opa.start(policies), mariadb, s3, dir.resolve("fleet-signing-key.pem"));
        a = fleet.start("gw-a", dir.resolve("gw-a"));
        b = fleet.start("gw-b", dir.resolve("gw-b"));
        balancer = HaProxy.inFrontOf(List.of(a.gateway().port(), b.gateway().port()));
    }

    @AfterAll
    static void stopTheFleet() {
        for (AutoCloseable closeable : new AutoCloseable[] {
            balancer, a == null ? null : a.gateway(), b == null ? null : b.gateway(), s3, issuer
        }) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("cannot stop " + closeable + ": " + e);
                }
            }
        }
    }

    private static String token(String subject) {
        return issuer.token(subject).claim("repository", "acme/shop").mint();
    }

    private static Connection connect(Fleet.Replica replica, String subject) throws SQLException {
        return JdbcClient.CONNECTOR_J.connect(replica.gateway(), Fleet.TARGET, token(subject));
    }

    private static Connection connectThroughTheBalancer(String subject) throws SQLException {
        return JdbcClient.CONNECTOR_J.connectTo(balancer.host(), balancer.port(), Fleet.TARGET, token(subject));
    }

    private static HttpResponse<String> approve(Fleet.Replica replica, String ticket, String approver)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(replica.adminUrl() + "/approvals/" + ticket + "/approve"))
                .header("Authorization", "Bearer " + token(approver))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> sessionIds(String listing) {
        return SESSION.matcher(listing).results().map(MatchResult::group).toList();
    }

    @Test
    @Order(1)
    void anApprovalRequestedThroughOneReplicaIsDecidedThroughTheOther() throws Exception {
        String ticket;
        try (Connection agent = connect(a, "agent-approvals");
                Statement statement = agent.createStatement()) {
            SQLException refused = refusalOf(statement, "DELETE FROM fleet_notes WHERE id = 2");
            assertThat(refused.getErrorCode()).isEqualTo(1142);
            assertThat(refused.getMessage()).contains("fleet: deleting needs approval");
            Matcher matcher = TICKET.matcher(refused.getMessage());
            assertThat(matcher.find()).as(refused.getMessage()).isTrue();
            ticket = matcher.group();
        }

        HttpResponse<String> decided = approve(b, ticket, "approver-1");

        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(decided.body()).contains("\"decided\"");
        try (Connection agent = connect(b, "agent-approvals");
                Statement statement = agent.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM fleet_notes WHERE id = 2"))
                    .isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void theBalancerSpreadsSessionsAndEitherReplicaListsEverySessionOfTheFleetUnderItsOwnId() throws Exception {
        for (int i = 0; i < 4; i++) {
            try (Connection agent = connectThroughTheBalancer("agent-listing");
                    Statement statement = agent.createStatement()) {
                statement.executeQuery("SELECT note FROM fleet_notes").close();
            }
        }

        String fromA = Fleet.cli(a, "sessions", "list", "--subject", "agent-listing");
        String fromB = Fleet.cli(b, "sessions", "list", "--subject", "agent-listing");

        List<String> ids = sessionIds(fromA);
        assertThat(ids).hasSize(4).doesNotHaveDuplicates();
        assertThat(ids).anySatisfy(id -> assertThat(id).startsWith("gw-a-"));
        assertThat(ids).anySatisfy(id -> assertThat(id).startsWith("gw-b-"));
        assertThat(sessionIds(fromB)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    @Order(3)
    void aSessionRecordedByOneReplicaIsShownAndVerifiedByTheOther() throws Exception {
        try (Connection agent = connect(b, "agent-replay");
                Statement statement = agent.createStatement()) {
            statement.executeQuery("SELECT note FROM fleet_notes WHERE id = 1").close();
        }
        String id = sessionIds(Fleet.cli(b, "sessions", "list", "--subject", "agent-replay"))
                .get(0);
        awaitUploaded(id, 1);

        String shown = Fleet.cli(a, "sessions", "show", id);
        String verified = Fleet.cli(a, "sessions", "verify", id);

        assertThat(shown).contains("session " + id).contains("SELECT note FROM fleet_notes WHERE id = 1");
        assertThat(verified).contains(id + ": OK");
    }

    @Test
    @Order(4)
    void connectionIdsDifferAcrossReplicas() throws Exception {
        try (Connection onA = connect(a, "agent-ids");
                Connection onB = connect(b, "agent-ids")) {
            long idOnA = connectionIdOf(onA);
            long idOnB = connectionIdOf(onB);

            assertThat(idOnA).isNotEqualTo(idOnB);
            assertThat(List.of(idOnA, idOnB)).allSatisfy(id -> assertThat(id).isBetween(1L << 30, (1L << 31) - 1));
            assertThat(Math.abs(idOnA - idOnB)).as("ids of different blocks").isGreaterThanOrEqualTo(1 << 16);
        }
    }

    @Test
    @Order(5)
    void killQueryOfOnesOwnSessionOpenedThroughTheOtherReplicaInterruptsItsStatement() throws Exception {
        try (Connection victim = connect(a, "agent-kill");
                Connection killer = connect(b, "agent-kill");
                Statement statement = killer.createStatement()) {
            long victimId = connectionIdOf(victim);
            CompletableFuture<SQLException> sleeping =
                    CompletableFuture.supplyAsync(() -> failureOf(victim, "SELECT SLEEP(31)"));
            awaitQueryRunning("SELECT SLEEP(31)");

            statement.execute("KILL QUERY " + victimId);

            SQLException interrupted = sleeping.get(10, TimeUnit.SECONDS);
            assertThat(interrupted == null ? 0 : interrupted.getErrorCode())
                    .as("error of the interrupted SLEEP")
                    .isEqualTo(1317);
            assertThat(victim.isValid(5)).as("the victim's session lives on").isTrue();
        }
    }

    @Test
    @Order(6)
    void killOfOnesOwnSessionOpenedThroughTheOtherReplicaByItsBackendThreadIdEndsIt() throws Exception {
        try (Connection victim = connect(a, "agent-kill");
                Connection killer = connect(b, "agent-kill");
                Statement statement = killer.createStatement()) {
            long victimThread = threadIdOf(victim);

            statement.execute("KILL " + victimThread);

            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (victim.isValid(2)) {
                assertThat(Instant.now()).as("the killed session still answers").isBefore(deadline);
                Thread.sleep(100);
            }
            assertThat(killer.isValid(2)).as("the killer's session lives on").isTrue();
        }
    }

    @Test
    @Order(7)
    void killOfAnotherIdentitysSessionOpenedThroughTheOtherReplicaIsRefused() throws Exception {
        try (Connection victim = connect(a, "agent-kill");
                Connection killer = connect(b, "agent-mallory");
                Statement statement = killer.createStatement()) {
            long victimId = connectionIdOf(victim);

            SQLException kill = refusalOf(statement, "KILL " + victimId);
            SQLException killQuery = refusalOf(statement, "KILL QUERY " + victimId);

            assertThat(kill.getErrorCode()).isEqualTo(1095);
            assertThat(kill.getMessage()).contains("You are not owner of thread " + victimId);
            assertThat(killQuery.getErrorCode()).isEqualTo(1095);
            assertThat(victim.isValid(5)).isTrue();
        }
    }

    @Test
    @Order(8)
    void killOfAnIdNoReplicaHoldsIsRefusedAsAnUnknownThread() throws Exception {
        try (Connection killer = connect(b, "agent-kill");
                Statement statement = killer.createStatement()) {
            long unknown = (1L << 31) - 2;

            SQLException refused = refusalOf(statement, "KILL " + unknown);

            assertThat(refused.getErrorCode()).isEqualTo(1094);
            assertThat(refused.getMessage()).contains("Unknown thread id: " + unknown);
        }
    }

    @Test
    @Order(9)
    void aKillThePolicyDeniesIsNeverPassedOnToTheReplicaHoldingTheSession() throws Exception {
        try (Connection victim = connect(a, "agent-no-kill");
                Connection killer = connect(b, "agent-no-kill");
                Statement statement = killer.createStatement()) {
            long victimId = connectionIdOf(victim);

            SQLException refused = refusalOf(statement, "KILL " + victimId);

            assertThat(refused.getErrorCode()).isEqualTo(1142);
            assertThat(refused.getMessage()).contains("fleet: this agent may not kill");
            assertThat(victim.isValid(5)).isTrue();
            try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
                assertThat(Sql.scalar(
                                admin,
                                "SELECT COUNT(*) FROM " + Fleet.STATE_SCHEMA + ".kill_requests WHERE connection_id = "
                                        + victimId))
                        .isEqualTo("0");
            }
        }
    }

    @Test
    @Order(10)
    void aKilledReplicaLosesNoCompletedStatementAndNewSessionsGoToTheOther() throws Exception {
        Connection doomed = connect(a, "agent-crash");
        try (Statement statement = doomed.createStatement()) {
            statement.executeQuery("SELECT note FROM fleet_notes WHERE id = 1").close();
            statement.executeUpdate("INSERT INTO fleet_notes VALUES (10, 'before the crash')");
            statement.executeQuery("SELECT COUNT(*) FROM fleet_notes").close();
        }
        String id = sessionIds(Fleet.cli(b, "sessions", "list", "--subject", "agent-crash"))
                .get(0);
        assertThat(id).startsWith("gw-a-");

        a.gateway().kill();

        for (int i = 0; i < 3; i++) {
            try (Connection agent = connectThroughTheBalancer("agent-after-crash");
                    Statement statement = agent.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
        }
        assertThat(sessionIds(Fleet.cli(b, "sessions", "list", "--subject", "agent-after-crash")))
                .hasSize(3)
                .allMatch(session -> session.startsWith("gw-b-"));

        // the replica comes back on its own volume: its spool (the crashed session's open segment) is uploaded
        a.gateway().close();
        a = fleet.start("gw-a", a.dataDir());
        awaitUploaded(id, 2); // the segment the restart adds to close the recording
        String shown = Fleet.cli(b, "sessions", "show", id);
        assertThat(shown)
                .contains("SELECT note FROM fleet_notes WHERE id = 1")
                .contains("INSERT INTO fleet_notes VALUES (10, 'before the crash')")
                .contains("SELECT COUNT(*) FROM fleet_notes");
        try {
            doomed.close();
        } catch (SQLException alreadyGone) {
            // its gateway died
        }
    }

    @Test
    @Order(11)
    void whileTheBucketIsDownStatementsAreRefusedWithWhyAndRunAgainOnceItIsBack() throws Exception {
        s3.stop();
        try {
            SQLException refused = awaitRefusal(b);
            assertThat(refused.getErrorCode()).isEqualTo(1290);
            assertThat(refused.getMessage()).contains("s3://" + s3.bucket() + "/");
        } finally {
            s3.restart();
        }
        awaitAllowed(b);
    }

    /** Polls with fresh sessions until a statement is refused (the replica notices the bucket is gone). */
    private static SQLException awaitRefusal(Fleet.Replica replica) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            try (Connection agent = connect(replica, "agent-outage");
                    Statement statement = agent.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            } catch (SQLException refused) {
                return refused;
            }
            assertThat(Instant.now())
                    .as("statements still run 90 s after the bucket went down")
                    .isBefore(deadline);
            Thread.sleep(500);
        }
    }

    private static void awaitAllowed(Fleet.Replica replica) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            try (Connection agent = connect(replica, "agent-outage");
                    Statement statement = agent.createStatement()) {
                statement.executeQuery("SELECT 1").close();
                return;
            } catch (SQLException refused) {
                assertThat(Instant.now())
                        .as("still refused 90 s after the bucket came back: " + refused.getMessage())
                        .isBefore(deadline);
                Thread.sleep(500);
            }
        }
    }

    /** The id the gateway greeted the connection with (what drivers report and send to cancel). */
    private static long connectionIdOf(Connection connection) throws SQLException {
        return connection.unwrap(JdbcConnection.class).getId();
    }

    /** The refusal of {@code sql}, which must fail. */
    private static SQLException refusalOf(Statement statement, String sql) {
        Throwable thrown = catchThrowable(() -> statement.execute(sql));
        assertThat(thrown).as("refusal of " + sql).isInstanceOf(SQLException.class);
        return (SQLException) thrown;
    }

    private static SQLException failureOf(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void awaitQueryRunning(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
            while (Instant.now().isBefore(deadline)) {
                if (!Sql.rows(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '" + sql + "'")
                        .isEmpty()) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the query '" + sql + "' never showed up in MariaDB's processlist");
    }

    private static long threadIdOf(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT CONNECTION_ID()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Waits until the bucket holds segment {@code number} of the session (its recording's last). */
    private static void awaitUploaded(String sessionId, int number) throws Exception {
        Path object = s3.objectFile(String.format("%s/segment-%06d.jsonl.gz", sessionId, number));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!Files.exists(object)) {
            assertThat(Instant.now()).as(object + " not uploaded in 90 s").isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
