package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.session.SessionRegistry.KillDecision;
import dev.agentgate.testing.IdleSessionControl;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    private static final SessionControl IDLE = IdleSessionControl.INSTANCE;

    private final SessionRegistry registry = new SessionRegistry(2);

    private SessionInfo session(int id, String subject, String target) {
        return new SessionInfo(id, "s" + id, "https://issuer", subject, target, 1000 + id, "127.0.0.1", Instant.EPOCH);
    }

    @Test
    void handsOutDistinctConnectionIdsUpToTheLimit() {
        assertThat(registry.reserve()).contains(SessionRegistry.FIRST_CONNECTION_ID);
        assertThat(registry.reserve()).contains(SessionRegistry.FIRST_CONNECTION_ID + 1);
        assertThat(registry.reserve()).isEmpty();
    }

    @Test
    void aReleasedReservationMakesRoomForANewConnection() {
        registry.reserve();
        int second = registry.reserve().orElseThrow();
        registry.release(second);
        assertThat(registry.reserve()).contains(SessionRegistry.FIRST_CONNECTION_ID + 2);
        assertThat(registry.reservedCount()).isEqualTo(2);
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new SessionRegistry(0)).hasMessage("maxConnections must be at least 1, was 0");
    }

    @Test
    void permitsKillingOwnSessionOnTheSameTarget() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        SessionInfo victim = session(2, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(victim, IDLE);
        assertThat(registry.authorizeKill(caller, 2)).isEqualTo(new KillDecision.Permitted(victim));
    }

    @Test
    void refusesKillingAnotherIdentitysSession() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(session(2, "agent-b", "appdb"), IDLE);
        assertThat(registry.authorizeKill(caller, 2))
                .isEqualTo(new KillDecision.Refused(1095, "You are not owner of thread 2"));
    }

    @Test
    void refusesKillingAnUnknownConnection() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        registry.register(caller, IDLE);
        assertThat(registry.authorizeKill(caller, 77))
                .isEqualTo(new KillDecision.Refused(1094, "Unknown thread id: 77"));
    }

    @Test
    void refusesKillingOwnSessionOnAnotherTarget() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(session(2, "agent-a", "billing"), IDLE);
        assertThat(registry.authorizeKill(caller, 2)).isInstanceOf(KillDecision.Refused.class);
    }

    @Test
    void aBackendThreadIdNamesTheSessionItServes() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        SessionInfo victim = session(2, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(victim, IDLE);
        assertThat(registry.authorizeKill(caller, victim.backendThreadId()))
                .isEqualTo(new KillDecision.Permitted(victim));
    }

    @Test
    void aBackendThreadIdOfAnotherIdentitysSessionIsRefused() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        SessionInfo other = session(2, "agent-b", "appdb");
        registry.register(caller, IDLE);
        registry.register(other, IDLE);
        assertThat(registry.authorizeKill(caller, other.backendThreadId()))
                .isEqualTo(new KillDecision.Refused(1095, "You are not owner of thread 1002"));
    }

    @Test
    void aBackendThreadIdOnAnotherTargetNamesNoSession() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(session(2, "agent-a", "billing"), IDLE);
        assertThat(registry.authorizeKill(caller, 1002))
                .isEqualTo(new KillDecision.Refused(1094, "Unknown thread id: 1002"));
    }

    @Test
    void anIdThatNamesTwoSessionsIsRefused() {
        SessionInfo caller = session(1, "agent-a", "appdb");
        SessionInfo byGatewayId = session(1001, "agent-a", "appdb");
        registry.register(caller, IDLE);
        registry.register(byGatewayId, IDLE);
        assertThat(registry.authorizeKill(caller, 1001)).isInstanceOf(KillDecision.Refused.class);
    }
}
