package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
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
        SessionClosing closing = new SessionClosing(connection, () -> running);
        running = true;
        closing.closeAtTokenExpiry(Instant.now(), cancelled::add);
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
        SessionClosing closing = new SessionClosing(connection, () -> false);
        closing.closeAtTokenExpiry(Instant.now().plusSeconds(TimeUnit.HOURS.toSeconds(1)), error -> {});
        closing.closed();
        return new WeakReference<>(closing);
    }
}
