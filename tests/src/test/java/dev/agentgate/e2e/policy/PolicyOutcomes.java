package dev.agentgate.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientRoute;

/** Assertions on what a client saw of a policy decision. */
final class PolicyOutcomes {

    /** ER_TABLEACCESS_DENIED_ERROR with its SQLSTATE: what the gateway sends for every refused statement. */
    static final int ACCESS_DENIED = 1142;

    static final String ACCESS_DENIED_STATE = "42000";
    /** OPA runs with decision logs, so every decision the gateway got from it has an id. */
    private static final String DECISION_ID = "\\[decision [0-9a-f-]{36}]$";

    private PolicyOutcomes() {}

    static void assertAllowed(ClientRoute.Outcome outcome) {
        assertThat(outcome.failed())
                .as("expected the statement to run, got %s", outcome)
                .isFalse();
    }

    /** Refused with 1142 / 42000 and a message with the policy's {@code reason} and OPA's decision id. */
    static void assertDenied(ClientRoute.Outcome outcome, String reason) {
        assertAccessDenied(outcome);
        assertThat(outcome.message())
                .contains("Access denied by agentgate policy: ")
                .contains(reason)
                .containsPattern(DECISION_ID);
    }

    /**
     * The login was refused by the session decision: 1045 / 28000 with the policy's {@code reason} and OPA's decision
     * id.
     */
    static void assertLoginRefused(ClientRoute.Outcome outcome, String reason) {
        assertThat(outcome.failed())
                .as("expected a refused login, got %s", outcome)
                .isTrue();
        assertThat(outcome.errorCode()).as("error code of %s", outcome).isEqualTo(1045);
        assertThat(outcome.sqlState()).as("SQLSTATE of %s", outcome).isEqualTo("28000");
        assertThat(outcome.message())
                .contains("session refused by agentgate policy: ")
                .contains(reason)
                .containsPattern(DECISION_ID);
    }

    /** Refused in ticket mode: the message names the policy's reason, the request, and what to do next. */
    static void assertRefusedWithATicket(ClientRoute.Outcome outcome, String reason) {
        assertAccessDenied(outcome);
        assertThat(outcome.message())
                .contains("Approval required by agentgate: " + reason + ". Request apr-")
                .contains("Run the identical statement again after approval")
                .containsPattern(DECISION_ID);
    }

    /** Refused with 1142 / 42000 and a message containing {@code text} (failures of the policy engine). */
    static void assertDeniedSaying(ClientRoute.Outcome outcome, String text) {
        assertAccessDenied(outcome);
        assertThat(outcome.message()).contains(text);
    }

    private static void assertAccessDenied(ClientRoute.Outcome outcome) {
        assertThat(outcome.failed()).as("expected a refusal, got %s", outcome).isTrue();
        assertThat(outcome.errorCode()).as("error code of %s", outcome).isEqualTo(ACCESS_DENIED);
        assertThat(outcome.sqlState()).as("SQLSTATE of %s", outcome).isEqualTo(ACCESS_DENIED_STATE);
    }
}
