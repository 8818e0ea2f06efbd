package dev.agentgate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.ApprovalConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.recording.StateSessionIndex;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.testing.PostgresServer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The state database on a real PostgreSQL (Debian's, started privately): the Flyway migrations, votes counted
 * by two gateways at once with a single winner, a grant used once, and the session index.
 */
@Tag("integration")
class PostgresStateTest {

    private static PostgresServer postgres;
    private static StateDatabase first;
    private static StateDatabase second;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        first = StateDatabase.open(config());
        second = StateDatabase.open(config());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {first, second, postgres}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // stopping test resources
            }
        }
    }

    private static StateConfig config() {
        return new StateConfig(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD, 4);
    }

    private static ApprovalRequest pendingRequest(String id) {
        ApprovalRequest request = SampleRequests.drop(id, Instant.now());
        new ApprovalStore(first)
                .insert(request, new HeldBy("gw-1", "session-" + id, ApprovalRequests.sha256(request.statement())))
                .join();
        return request;
    }

    private static Approver dba(String subject) {
        return new Approver("https://issuer.example", subject, List.of("dba-oncall"), Approver.Via.API);
    }

    @Test
    void theMigrationsRunOnceAndOpeningTheDatabaseAgainChangesNothing() throws Exception {
        try (StateDatabase reopened = StateDatabase.open(config())) {
            reopened.call(connection -> null).join();
        }

        assertThat(postgres.sql("SELECT version, success FROM agentgate_schema_history ORDER BY installed_rank"))
                .isEqualTo("1\tt\n3\tt\n6\tt\n7\tt\n8\tt\n9\tt");
        assertThat(postgres.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_name <> 'agentgate_schema_history' ORDER BY table_name"))
                .isEqualTo(
                        "approval_grants\napproval_requests\napproval_votes\nconnection_id_blocks\ninstance_leases\nkill_requests"
                                + "\nlive_sessions"
                                + "\nrecorded_sessions\nsession_playbacks");
    }

    @Test
    void ofManyApproversVotingAtOnceOnTwoGatewaysExactlyOneDecidesTheRequest() {
        ApprovalRequest request = pendingRequest("apr-race0000001");
        List<Approvals> gateways = List.of(
                new Approvals(first, new LoggingNotifier(), ApprovalConfig.defaults(), Clock.systemUTC()),
                new Approvals(second, new LoggingNotifier(), ApprovalConfig.defaults(), Clock.systemUTC()));
        List<CompletableFuture<DecideResult>> votes = new ArrayList<>();

        for (int i = 0; i < 8; i++) {
            votes.add(gateways.get(i % 2)
                    .decisions()
                    .decide(request.id(), dba("dba-" + i), Verdict.APPROVE, "127.0.0.1"));
        }
        List<DecideResult> results = votes.stream().map(CompletableFuture::join).toList();

        assertThat(results).filteredOn(DecideResult.Decided.class::isInstance).hasSize(1);
        assertThat(results)
                .filteredOn(DecideResult.Refused.class::isInstance)
                .hasSize(7)
                .allSatisfy(result -> assertThat(((DecideResult.Refused) result).code())
                        .isEqualTo(DecideResult.Reason.ALREADY_DECIDED));
        gateways.forEach(Approvals::close);
    }

    @Test
    void anApprovedRequestsGrantRunsTheStatementOnceAndThenNoMore() throws Exception {
        ApprovalRequest request = pendingRequest("apr-grant000001");
        Approvals gateway = new Approvals(first, new LoggingNotifier(), ApprovalConfig.defaults(), Clock.systemUTC());
        gateway.decisions()
                .decide(request.id(), dba("dana"), Verdict.APPROVE, "127.0.0.1")
                .join();
        ApprovalStore store = new ApprovalStore(second);

        assertThat(store.useGrantOf(request.id(), Instant.now()).join()).isTrue();
        assertThat(store.useGrantOf(request.id(), Instant.now()).join()).isFalse();
        assertThat(postgres.sql("SELECT uses_left FROM approval_grants WHERE request_id = '" + request.id() + "'"))
                .isEqualTo("0");
        gateway.close();
    }

    @Test
    void theSessionIndexListsASessionAndUpdatesItWhenItEnds() {
        SessionIndex index = new StateSessionIndex(first);
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SessionSummary active = new SessionSummary(
                "gw-1:7", "https://issuer.example", "agent-7", "shop", "gw-1", started, null, null, 0, 0, "active");
        SessionSummary ended = new SessionSummary(
                "gw-1:7",
                "https://issuer.example",
                "agent-7",
                "shop",
                "gw-1",
                started,
                started.plusSeconds(5),
                "client_quit",
                3,
                1,
                "ended");

        index.save(active);
        index.save(ended);

        SessionIndex other = new StateSessionIndex(second);
        assertThat(other.find("gw-1:7")).contains(ended);
        assertThat(other.list(new SessionIndex.Query("agent-7", null, null, 10)))
                .containsExactly(ended);
    }
}
