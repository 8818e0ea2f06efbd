package dev.agentgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.testing.PrometheusSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionMetricsTest {

    private final GatewayStatus status = new GatewayStatus(new SessionRegistry(10), new GatewayCounters(), null);
    private final SessionMetrics metrics = status.meters().sessions();
    private final Instant now = Instant.parse("2026-12-02T00:00:00Z");

    private Map<String, Double> samples() {
        return PrometheusSamples.parse(status.meters().scrape());
    }

    private SessionEvent.CommandCompleted completed(String outcome, long rows, long bytes) {
        return new SessionEvent.CommandCompleted(
                "gw-1", now, 1, outcome, 0, 0, 0, null, rows, bytes, Duration.ofMillis(3), ResponseBudget.Cut.NONE);
    }

    @Test
    void countsStatementsByThePolicysAction() {
        metrics.on(new SessionEvent.CommandDecided("gw-1", now, 1, "mask", "pii", List.of(), List.of(), List::of));
        metrics.on(new SessionEvent.CommandDecided("gw-1", now, 2, "mask", "pii", List.of(), List.of(), List::of));
        metrics.on(new SessionEvent.CommandDecided("gw-1", now, 3, "deny", "ro", List.of(), List.of(), List::of));

        assertThat(samples())
                .containsEntry("agentgate_statements_total{action=\"mask\"}", 2.0)
                .containsEntry("agentgate_statements_total{action=\"deny\"}", 1.0)
                .containsEntry("agentgate_statements_total{action=\"allow\"}", 0.0);
    }

    @Test
    void countsCommandsByOutcomeAndTheRowsAndBytesRelayed() {
        metrics.on(completed("ok", 3, 120));
        metrics.on(completed("refused", 0, 60));

        assertThat(samples())
                .containsEntry("agentgate_commands_total{outcome=\"ok\"}", 1.0)
                .containsEntry("agentgate_commands_total{outcome=\"refused\"}", 1.0)
                .containsEntry("agentgate_response_rows_total", 3.0)
                .containsEntry("agentgate_response_bytes_total", 180.0);
    }

    @Test
    void countsSessionsEndedByWhatEndedThem() {
        metrics.on(new SessionEvent.Ended("gw-1", now, SessionEvent.EndReason.TOKEN_EXPIRED, "token expired"));

        assertThat(samples())
                .containsEntry("agentgate_sessions_ended_total{reason=\"token_expired\"}", 1.0)
                .containsEntry("agentgate_sessions_ended_total{reason=\"client_quit\"}", 0.0);
    }

    @Test
    void countsApprovalsByHowTheyEnded() {
        metrics.on(new SessionEvent.ApprovalResolved("gw-1", now, 4, "req-1", "approved", List.of("alice")));

        assertThat(samples()).containsEntry("agentgate_approvals_resolved_total{outcome=\"approved\"}", 1.0);
    }
}
