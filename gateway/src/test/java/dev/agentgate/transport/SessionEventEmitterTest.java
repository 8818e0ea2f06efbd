package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.testing.RecordingSessionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emitter's promises: each command ends once, a session once, an approval is told for the command it held. */
class SessionEventEmitterTest {

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final RecordingSessionEvents sink = new RecordingSessionEvents();
    private final SessionEventEmitter events = new SessionEventEmitter(sink, "gw-1");

    @AfterEach
    void releaseWhatIsLeft() {
        client.finishAndReleaseAll();
    }

    @Test
    void anApprovalResolvedFromAnotherThreadIsToldForTheCommandBeingDecided() throws Exception {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing control = new SessionClosing(connection, () -> false, error -> {}, events);
        events.received(CommandType.COM_QUERY, "SELECT 1", List.of());
        CommandInFlight waiting = events.received(CommandType.COM_QUERY, "DELETE FROM orders", List.of());

        Thread approver = new Thread(() -> control.approvalResolved("req-1", "approved", List.of("slack:U1")));
        approver.start();
        approver.join();
        client.runPendingTasks();

        assertThat(sink.of("gw-1").get(2)).isInstanceOfSatisfying(SessionEvent.ApprovalResolved.class, resolved -> {
            assertThat(resolved.commandNo()).isEqualTo(waiting.number);
            assertThat(resolved.requestId()).isEqualTo("req-1");
            assertThat(resolved.outcome()).isEqualTo("approved");
            assertThat(resolved.approvers()).containsExactly("slack:U1");
        });
    }

    @Test
    void aCommandCompletedTwiceIsToldOnce() {
        CommandInFlight command = events.received(CommandType.COM_QUERY, "SELECT 1", List.of());
        command.refused(new ErrPacket(1142, "42000", "no"));

        events.completed(command);
        events.completed(command);

        assertThat(sink.of("gw-1"))
                .filteredOn(SessionEvent.CommandCompleted.class::isInstance)
                .hasSize(1);
    }

    @Test
    void aSessionEndingWithACommandInFlightCompletesItAsAnErrorFirstAndEndsOnce() {
        events.received(CommandType.COM_QUERY, "SELECT SLEEP(10)", List.of());

        events.ended(SessionEvent.EndReason.CLIENT_DISCONNECTED, null);
        events.ended(SessionEvent.EndReason.BACKEND_LOST, null);

        List<SessionEvent> all = sink.of("gw-1");
        assertThat(all).hasSize(3);
        assertThat(all.get(1)).isInstanceOfSatisfying(SessionEvent.CommandCompleted.class, completed -> {
            assertThat(completed.outcome()).isEqualTo("error");
            assertThat(completed.errorMessage()).isEqualTo("the session ended before the command was done");
        });
        assertThat(all.get(2))
                .isInstanceOfSatisfying(
                        SessionEvent.Ended.class,
                        ended -> assertThat(ended.reason()).isEqualTo(SessionEvent.EndReason.CLIENT_DISCONNECTED));
    }

    @Test
    void withoutASinkNoClockIsReadForACommand() {
        SessionEventEmitter silent = new SessionEventEmitter(SessionEvents.NONE, "gw-1");

        CommandInFlight command = silent.received(CommandType.COM_QUERY, null, List.of());

        assertThat(silent.isOn()).isFalse();
        assertThat(command.receivedAt).isNull();
    }

    @Test
    void onceAResponseUsedTheSinksBudgetItsPacketsAreCountedAndNoneReachesTheSink() {
        RecordingSessionEvents tenBytes = new RecordingSessionEvents(10);
        SessionEventEmitter budgeted = new SessionEventEmitter(tenBytes, "gw-1");
        CommandInFlight command = budgeted.received(CommandType.COM_QUERY, "SELECT big", List.of());

        for (int i = 0; i < 1000; i++) {
            respond(budgeted, command, 4);
        }
        budgeted.completed(command);

        List<SessionEvent> all = tenBytes.of("gw-1");
        assertThat(all)
                .filteredOn(SessionEvent.ResponsePacket.class::isInstance)
                .hasSize(2);
        assertThat(all).hasSize(4); // received, two packets, completed: nothing per cut packet
        assertThat(all.get(3))
                .isInstanceOfSatisfying(
                        SessionEvent.CommandCompleted.class,
                        completed -> assertThat(completed.responseCut()).isEqualTo(new ResponseBudget.Cut(998, 3992)));
    }

    @Test
    void theNextCommandsResponseHasTheWholeBudgetAgain() {
        RecordingSessionEvents tenBytes = new RecordingSessionEvents(10);
        SessionEventEmitter budgeted = new SessionEventEmitter(tenBytes, "gw-1");
        CommandInFlight first = budgeted.received(CommandType.COM_QUERY, "SELECT big", List.of());
        respond(budgeted, first, 12);
        budgeted.completed(first);

        CommandInFlight second = budgeted.received(CommandType.COM_QUERY, "SELECT small", List.of());
        respond(budgeted, second, 10);
        budgeted.completed(second);

        List<SessionEvent> all = tenBytes.of("gw-1");
        assertThat(all)
                .filteredOn(SessionEvent.ResponsePacket.class::isInstance)
                .singleElement()
                .satisfies(packet -> assertThat(((SessionEvent.ResponsePacket) packet).commandNo())
                        .isEqualTo(second.number));
        assertThat(all)
                .filteredOn(SessionEvent.CommandCompleted.class::isInstance)
                .extracting(completed -> ((SessionEvent.CommandCompleted) completed).responseCut())
                .containsExactly(new ResponseBudget.Cut(1, 12), ResponseBudget.Cut.NONE);
    }

    private static void respond(SessionEventEmitter emitter, CommandInFlight command, int bytes) {
        ByteBuf payload = Unpooled.buffer(bytes).writeZero(bytes);
        try {
            emitter.response(command, payload);
        } finally {
            payload.release();
        }
    }
}
