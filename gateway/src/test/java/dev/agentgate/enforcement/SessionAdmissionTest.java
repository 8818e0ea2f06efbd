package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.session.SessionFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The session decision at login: what is asked, and what each answer means for the session. */
class SessionAdmissionTest {

    private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Identity AGENT =
            new Identity("https://idp.example.com", "agent-7", Map.of("sub", "agent-7"), STARTED.plusSeconds(7200));
    private static final SessionFacts SESSION = new SessionFacts(
            7,
            "gw-a-0011223344556677",
            "appdb",
            "shop",
            "10.1.2.3:5000",
            true,
            "mysql",
            Map.of(),
            STARTED,
            AGENT.expiresAt());

    private final List<JsonNode> asked = new CopyOnWriteArrayList<>();

    private SessionAdmission answering(Decision decision) {
        return new SessionAdmission(
                new AnsweringEngine(CompletableFuture.completedFuture(decision)), new PolicyInput(new ObjectMapper()));
    }

    @Test
    void theSessionIsAskedAsACommandOfTypeConnectWithoutAStatement() {
        answering(allow(Optional.empty(), Optional.empty()))
                .admit(AGENT, SESSION)
                .join();

        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).path("command").toString()).isEqualTo("{\"type\":\"connect\"}");
        assertThat(asked.get(0).has("statement")).isFalse();
        assertThat(asked.get(0).path("session").path("session_id").asText()).isEqualTo("gw-a-0011223344556677");
        assertThat(asked.get(0).path("identity").path("subject").asText()).isEqualTo("agent-7");
    }

    @Test
    void anAllowWithMaxSessionAdmitsTheSessionForThatLong() {
        SessionAdmission.Verdict verdict = answering(allow(Optional.of(Duration.ofMinutes(10)), Optional.empty()))
                .admit(AGENT, SESSION)
                .join();

        assertThat(((SessionAdmission.Admitted) verdict).maxSession()).contains(Duration.ofMinutes(10));
        assertThat(SessionAdmission.maxDurationMessage(Duration.ofMinutes(10)))
                .isEqualTo("session reached its maximum duration of 600 s (max_session_s of the policy's session"
                        + " decision)");
    }

    @Test
    void thePolicysIdleTimeoutCountsOnlyWhenShorterThanTheConfiguredOne() {
        SessionAdmission.Admitted admitted =
                (SessionAdmission.Admitted) answering(allow(Optional.empty(), Optional.of(Duration.ofMinutes(5))))
                        .admit(AGENT, SESSION)
                        .join();

        assertThat(admitted.idleTimeoutWithin(Duration.ofHours(8))).isEqualTo(Duration.ofMinutes(5));
        assertThat(admitted.idleTimeoutWithin(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aDenyRefusesTheLoginWithThePolicysReasonAndDecisionId() {
        SessionAdmission.Verdict verdict = answering(new Decision.Deny(
                        "roles: no role binding matches agent-7", Optional.of("d-42"), Decision.Caching.NEVER))
                .admit(AGENT, SESSION)
                .join();

        assertThat(((SessionAdmission.Refused) verdict).clientMessage())
                .isEqualTo(
                        "session refused by agentgate policy: roles: no role binding matches agent-7 [decision d-42]");
    }

    @Test
    void aMaskDecisionForASessionRefusesTheLogin() {
        SessionAdmission.Verdict verdict = answering(new Decision.Mask(
                        "pii: masked",
                        Optional.empty(),
                        Map.of("*.*.ssn", new Decision.MaskRule("null", Map.of())),
                        Decision.Obligations.NONE,
                        Decision.Caching.NEVER))
                .admit(AGENT, SESSION)
                .join();

        assertThat(verdict).isInstanceOf(SessionAdmission.Refused.class);
        assertThat(verdict.reason()).startsWith("the policy decided 'mask' for the session");
    }

    @Test
    void aRequiredApprovalOnAGatewayWithoutApprovalsRefusesTheLoginSayingSo() {
        SessionAdmission.Verdict verdict = answering(new Decision.RequireApproval(
                        "jit: sessions need approval",
                        Optional.of("d-7"),
                        List.of("dba"),
                        null,
                        Duration.ofSeconds(60),
                        Decision.Caching.NEVER))
                .admit(AGENT, SESSION)
                .join();

        assertThat(verdict).isInstanceOf(SessionAdmission.Refused.class);
        assertThat(((SessionAdmission.Refused) verdict).clientMessage())
                .isEqualTo("session refused by agentgate policy: the session needs approval, but approvals are not"
                        + " enabled on this gateway (jit: sessions need approval) [decision d-7]");
    }

    @Test
    void anEngineThatFailsRefusesTheLogin() {
        SessionAdmission admission = new SessionAdmission(
                new AnsweringEngine(CompletableFuture.failedFuture(new IllegalStateException("broken"))),
                new PolicyInput(new ObjectMapper()));

        assertThat(admission.admit(AGENT, SESSION).join().reason())
                .isEqualTo("the session could not be checked against the policy");
    }

    private static Decision allow(Optional<Duration> maxSession, Optional<Duration> idle) {
        return new Decision.Allow(
                "session: ok",
                Optional.empty(),
                new Decision.Obligations(Optional.empty(), Optional.empty(), maxSession, idle),
                Decision.Caching.NEVER);
    }

    private final class AnsweringEngine implements PolicyEngine {
        private final CompletableFuture<Decision> answer;

        AnsweringEngine(CompletableFuture<Decision> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<Decision> decide(JsonNode input) {
            asked.add(input);
            return answer;
        }

        @Override
        public void close() {}
    }
}
