package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionClosingTest {

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
    private boolean busy;
    private final SessionClosing closing = new SessionClosing(connection, () -> busy, error -> {});

    @AfterEach
    void releaseWhatIsLeft() {
        client.finishAndReleaseAll();
    }

    @Test
    void closesAnIdleSessionAskedToCloseWhenIdleWithAnErrorThatSaysWhy() {
        closing.closeWhenIdle("server shutdown in progress");
        client.runPendingTasks();

        ErrPacket error = sentError();
        assertThat(error.errorCode()).isEqualTo(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT.code());
        assertThat(error.message()).isEqualTo("server shutdown in progress");
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void letsTheRunningCommandFinishBeforeClosingWhenIdle() {
        busy = true;
        closing.closeWhenIdle("token expired");
        client.runPendingTasks();
        assertThat(connection.isClosed()).isFalse();
        assertThat((Object) client.readOutbound()).isNull();

        busy = false;
        assertThat(closing.closeIfAsked()).isTrue();

        assertThat(sentError().message()).isEqualTo("token expired");
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void keepsASessionOpenWhenNobodyAskedToCloseIt() {
        assertThat(closing.closeIfAsked()).isFalse();

        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void leavesASessionWhoseCommandIsRunningOpenWhenTheClientIsIdle() {
        busy = true;
        closing.onIdle();

        assertThat(connection.isClosed()).isFalse();
    }

    private ErrPacket sentError() {
        MySQLFrame frame = client.readOutbound();
        try {
            return ErrPacket.read(frame.reader());
        } finally {
            frame.release();
        }
    }
}
