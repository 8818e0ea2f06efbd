package dev.agentgate.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.recording.RecordedSession;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Just-in-time access by approval at login, through a real gateway (real MariaDB, real OPA, SQLite state, the admin
 * approvals API, session recording): a login whose session decision requires approval is refused with a ticket;
 * once approved, the same identity connects, and the session lives no longer than the grant.
 */
@Tag("integration")
class JustInTimeLoginTest {

    /**
     * Sessions of {@code agent-*} need dana's approval, in a decision that names no mode (the gateway's default mode is
     * hold; at login that means ticket), grant of 6 s; {@code holder}'s decision asks for hold mode.
     */
    private static final String POLICY = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {
            	"action": "require_approval",
            	"reason": "jit: sessions on appdb need approval",
            	"approval": {
            		"approvers": ["dana"], "timeout_s": 60,
            		"grant_window_s": 6, "grant_uses": 1, "channel": "test:#access",
            	},
            } if {
            	input.command.type == "connect"
            	startswith(input.identity.subject, "agent-")
            }

            decision := {
            	"action": "require_approval",
            	"reason": "jit: held sessions",
            	"approval": {"approvers": ["dana"], "mode": "hold", "timeout_s": 60},
            } if {
            	input.command.type == "connect"
            	input.identity.subject == "holder"
            }
            """;

    @TempDir
    static Path directory;

    private static JitLoginGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = JitLoginGateway.start(directory, POLICY);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void denyWhatIsLeftPending() {
        for (ApprovalRecord left : gateway.approvals().pending().join()) {
            gateway.approvals()
                    .decide(left.request().id(), ApprovalGatewayFixture.approver("dana"), Verdict.DENY, "test")
                    .join();
        }
    }

    @Test
    void aLoginThatNeedsApprovalIsRefusedWithATicketNamingTheRequestWhereItWentAndHowLongItStaysOpen() {
        assertThatThrownBy(() -> gateway.connect("agent-ticket").close())
                .isInstanceOfSatisfying(SQLException.class, refused -> {
                    assertThat(refused.getErrorCode()).isEqualTo(1045);
                    assertThat(refused.getSQLState()).isEqualTo("28000");
                })
                .hasMessageContaining("Access denied for user 'appdb': Approval required by agentgate to open a"
                        + " session: jit: sessions on appdb need approval. Request apr-")
                .hasMessageContaining("was sent to test:#access (approvers: dana); it stays open 60 s")
                .hasMessageContaining("Connect again after approval");
        ApprovalRecord pending = onlyPendingOf("agent-ticket");
        assertThat(pending.request().statement())
                .isEqualTo("CONNECT (a session on target appdb, starting in" + " database shop)");

        assertThatThrownBy(() -> gateway.connect("agent-ticket").close())
                .hasMessageContaining("Request " + pending.request().id() + " is already waiting");
    }

    @Test
    void onceApprovedThroughTheApprovalsApiTheSameIdentityIsLetInInAnyDatabaseAndItsRecordingNamesTheGrant()
            throws Exception {
        String id = ticketFor("agent-in");

        HttpResponse<String> vote = gateway.approveThroughApi(id, "dana");
        assertThat(vote.statusCode()).isEqualTo(200);
        assertThat(vote.body()).contains("\"state\":\"approved\"");

        try (Connection connection = gateway.connect("agent-in", "information_schema");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 'let in' /* jit */")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("let in");
        }
        JsonNode login = closedSessionWith("SELECT 'let in' /* jit */")
                .start()
                .orElseThrow()
                .path("login_decision");
        assertThat(login.path("action").asText()).isEqualTo("require_approval");
        assertThat(login.path("approval").path("request_id").asText()).isEqualTo(id);
        assertThat(login.path("approval").path("grant_ends_at").asText()).isNotEmpty();
    }

    @Test
    void aStatementRunningWhenTheGrantEndsIsCancelledAndTheSessionEndsRecordedAsGrantEnded() throws Exception {
        String sql = "SELECT SLEEP(30) /* until the grant ends */";
        String id = ticketFor("agent-7");
        assertThat(gateway.approveThroughApi(id, "dana").statusCode()).isEqualTo(200);
        long started;
        try (Connection connection = gateway.connect("agent-7");
                Statement statement = connection.createStatement()) {
            started = System.nanoTime();

            assertThatThrownBy(() -> statement.executeQuery(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("the approval grant of request " + id + " that admitted it ended");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

        JsonNode end = closedSessionWith(sql).end().orElseThrow();
        assertThat(end.path("reason").asText()).isEqualTo("grant_ended");
        assertThat(end.path("detail").asText()).contains("approval grant of request " + id);
    }

    @Test
    void aChangeUserToAnApprovedIdentityIsBoundedByItsGrantToo() throws Exception {
        String sql = "SELECT SLEEP(30) /* changed user, until the grant ends */";
        String id = ticketFor("agent-pooled");
        assertThat(gateway.approveThroughApi(id, "dana").statusCode()).isEqualTo(200);
        try (Connection connection = gateway.connect("pool-owner");
                Statement statement = connection.createStatement()) {
            connection.unwrap(JdbcConnection.class).changeUser("appdb", gateway.token("agent-pooled"));

            assertThatThrownBy(() -> statement.executeQuery(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("the approval grant of request " + id + " that admitted it ended");
        }
        assertThat(closedSessionWith(sql).end().orElseThrow().path("reason").asText())
                .isEqualTo("grant_ended");
    }

    @Test
    void aLoginApprovalInHoldModeIsRefusedSayingThatOnlyTicketIsAvailableAtLogin() {
        assertThatThrownBy(() -> gateway.connect("holder").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the policy asks for mode hold, which is not available at login; the policy"
                        + " must use mode ticket");
        assertThat(gateway.approvals().pending().join()).isEmpty();
    }

    /** Logs in as {@code subject}, which the policy sends for approval: the id of the ticket it gets. */
    private static String ticketFor(String subject) throws Exception {
        assertThatThrownBy(() -> gateway.connect(subject).close()).hasMessageContaining("Approval required");
        return onlyPendingOf(subject).request().id();
    }

    private static ApprovalRecord onlyPendingOf(String subject) {
        return gateway.approvals().pending().join().stream()
                .filter(record -> record.request().requester().subject().equals(subject))
                .reduce((one, two) -> {
                    throw new AssertionError("more than one request of " + subject);
                })
                .orElseThrow(() -> new AssertionError("no pending request of " + subject));
    }

    /** The recording of the session that ran {@code sql}, once it is ended. */
    private static RecordedSession closedSessionWith(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Optional<RecordedSession> found = gateway.recordedSessions().stream()
                    .filter(session -> session.statements().stream().anyMatch(s -> sql.equals(s.sql())))
                    .findFirst();
            if (found.isPresent() && found.get().end().isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended recording of a session that ran " + sql);
    }
}
