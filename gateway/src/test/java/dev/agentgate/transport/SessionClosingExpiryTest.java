package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The close at token expiry: what it does to a running statement, and that a closed session leaves nothing behind. */
class SessionClosingExpiryTest {

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final List<ErrPacket> cancelled = new ArrayList<>();
    private boolean running;

    @AfterEach
    void releaseWhatIsLeft() {
        client.finishAndReleaseAll();
    }

    @Test
    void cancelsAStatementRunningAtTokenExpiryAndClosesOnceItsResponseIsDone() {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing closing = new SessionClosing(connection, () -> running, cancelled::add);
        running = true;
        closing.closeAtTokenExpiry(Instant.now());
        client.runScheduledPendingTasks();

        assertThat(cancelled).singleElement().satisfies(error -> {
            assertThat(error.errorCode()).isEqualTo(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT.code());
            assertThat(error.message()).isEqualTo("token expired");
        });
        assertThat(connection.isClosed()).isFalse();

        running = false;
        assertThat(closing.closeIfAsked()).isTrue();
        MySQLFrame frame = client.readOutbound();
        try {
            assertThat(ErrPacket.read(frame.reader()).message()).isEqualTo("token expired");
        } finally {
            frame.release();
        }
    }

    @Test
    void endsAnIdleSessionAtTheEarliestOfItsLimitsWithThatLimitsReasonAndMessage() {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing closing = new SessionClosing(connection, () -> false, cancelled::add);
        closing.closeAtTokenExpiry(Instant.now().plusSeconds(3600));
        closing.limitTo(Instant.now().plusSeconds(1800), SessionEvent.EndReason.MAX_DURATION, "later limit");
        closing.limitTo(Instant.now(), SessionEvent.EndReason.MAX_DURATION, "session lasted its max_session_s");
        client.runPendingTasks();
        client.runScheduledPendingTasks();

        MySQLFrame frame = client.readOutbound();
        try {
            assertThat(ErrPacket.read(frame.reader()).message()).isEqualTo("session lasted its max_session_s");
        } finally {
            frame.release();
        }
        assertThat(closing.ending().reason()).isEqualTo(SessionEvent.EndReason.MAX_DURATION);
        assertThat(closing.ending().detail()).isEqualTo("session lasted its max_session_s");
    }

    @Test
    void aLimitLaterThanTheOneSetChangesNothing() {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing closing = new SessionClosing(connection, () -> false, cancelled::add);
        Instant expiry = Instant.now().plusSeconds(60);
        closing.closeAtTokenExpiry(expiry);
        closing.limitTo(expiry.plusSeconds(60), SessionEvent.EndReason.MAX_DURATION, "grant over");
        client.runPendingTasks();

        assertThat(closing.deadline().at()).isEqualTo(expiry);
        assertThat(closing.deadline().why()).isEqualTo(SessionEvent.EndReason.TOKEN_EXPIRED);
    }

    @Test
    void cancelsAStatementRunningAtAMaximumDurationWithTheLimitsMessage() {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing closing = new SessionClosing(connection, () -> running, cancelled::add);
        running = true;
        closing.limitTo(Instant.now(), SessionEvent.EndReason.MAX_DURATION, "the approval's grant ended");
        client.runPendingTasks();
        client.runScheduledPendingTasks();

        assertThat(cancelled)
                .singleElement()
                .satisfies(error -> assertThat(error.message()).isEqualTo("the approval's grant ended"));
        assertThat(connection.isClosed()).isFalse();
        assertThat(closing.ending().reason()).isEqualTo(SessionEvent.EndReason.MAX_DURATION);
    }

    @Test
    void aClosedSessionIsNoLongerReferencedByItsExpiryTask() {
        WeakReference<SessionClosing> closed = closedSessionWithExpiryInAnHour();

        for (int i = 0; i < 20 && closed.get() != null; i++) {
            System.gc();
        }

        assertThat(closed.get())
                .as("the closed session, still held by the channel's event loop")
                .isNull();
    }

    private WeakReference<SessionClosing> closedSessionWithExpiryInAnHour() {
        ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        SessionClosing closing = new SessionClosing(connection, () -> false, error -> {});
        closing.closeAtTokenExpiry(Instant.now().plusSeconds(TimeUnit.HOURS.toSeconds(1)));
        closing.closed();
        return new WeakReference<>(closing);
    }
}
