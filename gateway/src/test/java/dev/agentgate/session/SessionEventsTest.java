package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.testing.RecordingSessionEvents;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several sinks as one: responses are cut at the largest budget among them and reach only the sinks that take any. */
class SessionEventsTest {

    @Test
    void sinksTogetherTakeResponsesUpToTheLargestOfTheirBudgets() {
        SessionEvents all = SessionEvents.all(
                List.of(new RecordingSessionEvents(10), new RecordingSessionEvents(1000), SessionEvents.NONE));

        assertThat(all.responseBudget()).isEqualTo(1000);
    }

    @Test
    void aResponsePacketReachesOnlyTheSinksThatTakeResponses() {
        RecordingSessionEvents taking = new RecordingSessionEvents(10);
        RecordingSessionEvents notTaking = new RecordingSessionEvents(0);
        SessionEvents all = SessionEvents.all(List.of(taking, notTaking));

        all.on(new SessionEvent.ResponsePacket("gw-1", Instant.now(), 1, ByteBuffer.wrap(new byte[] {1})));

        assertThat(taking.of("gw-1")).hasSize(1);
        assertThat(notTaking.of("gw-1")).isEmpty();
    }
}
