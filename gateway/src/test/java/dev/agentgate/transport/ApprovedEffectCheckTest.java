package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.ApprovedRows;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ServerStatusFlags;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The effect check's failure paths, which a healthy MariaDB does not take on demand: every one ends in a refusal,
 * and one that leaves the gateway's transaction open ends the session (whose close rolls it back on the server).
 */
class ApprovedEffectCheckTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_TRANSACTIONS;
    private static final String UPDATE = "UPDATE shop.stock SET status = 'closed' WHERE status = 'open'";

    private final EmbeddedChannel backend = new EmbeddedChannel();
    private final List<MySQLPacket> answers = new ArrayList<>();
    private final List<ErrPacket> lost = new ArrayList<>();
    private boolean unchecked;
    private final ApprovedEffectCheck check = new ApprovedEffectCheck(
            backend,
            CAPABILITIES,
            MySQLFrame.fromPacket(new ComQueryPacket(UPDATE), 0, backend.alloc()),
            new CommandResponseTracker(CommandType.COM_QUERY, CAPABILITIES),
            new ApprovedRows("apr-000000000001", 2),
            new ApprovedEffectCheck.Listener() {
                @Override
                public void statementAnswered(PacketRole role, ByteBuf payload) {}

                @Override
                public void answered(MySQLPacket answer, boolean succeeded) {
                    answers.add(answer);
                }

                @Override
                public void lost(ErrPacket error) {
                    lost.add(error);
                }

                @Override
                public void unchecked() {
                    unchecked = true;
                }
            });

    @AfterEach
    void nothingLeftUnreleased() {
        backend.finishAndReleaseAll();
    }

    @Test
    void aRollbackTheServerRefusesEndsTheSessionWithError1181() {
        runUnderAutocommit();
        answer(OkPacket.of(3, 0, ServerStatusFlags.SERVER_STATUS_IN_TRANS, 0));
        assertThat(sentCommand()).isEqualTo("ROLLBACK");

        answer(new ErrPacket(2013, "HY000", "Lost connection to server during query"));

        assertThat(answers).isEmpty();
        assertThat(lost).singleElement().satisfies(error -> {
            assertThat(error.errorCode()).isEqualTo(1181);
            assertThat(error.message())
                    .contains("request apr-000000000001")
                    .contains("could not ROLL BACK")
                    .contains("Lost connection to server during query")
                    .contains("the session ends, which rolls the statement back");
        });
        assertThat(check.isDone()).isTrue();
    }

    @Test
    void aCommitTheServerRefusesEndsTheSessionWithError1180() {
        runUnderAutocommit();
        answer(OkPacket.of(2, 0, ServerStatusFlags.SERVER_STATUS_IN_TRANS, 0));
        assertThat(sentCommand()).isEqualTo("COMMIT");

        answer(new ErrPacket(1180, "HY000", "Got error 4 during COMMIT"));

        assertThat(answers).isEmpty();
        assertThat(lost)
                .singleElement()
                .satisfies(error -> assertThat(error.errorCode()).isEqualTo(1180));
    }

    @Test
    void aTransactionTheServerWillNotOpenRefusesTheStatementWithoutSendingIt() {
        check.start();
        assertThat(sentCommandCode()).isEqualTo(CommandType.COM_PING.code());
        answer(OkPacket.of(0, 0, ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, 0));
        assertThat(sentCommand()).isEqualTo("START TRANSACTION");

        answer(new ErrPacket(1792, "25006", "Cannot execute statement in a READ ONLY transaction"));

        assertThat((Object) backend.readOutbound()).isNull();
        assertThat(answers)
                .singleElement()
                .isInstanceOfSatisfying(
                        ErrPacket.class,
                        error -> assertThat(error.message())
                                .contains("could not open a transaction")
                                .contains("the statement was not run"));
        assertThat(lost).isEmpty();
    }

    @Test
    void insideTheClientsTransactionTheStatementIsSentUncheckedAndItsResponseLeftToTheRelay() {
        check.start();
        sentCommandCode();

        answer(OkPacket.of(
                0, 0, ServerStatusFlags.SERVER_STATUS_IN_TRANS | ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, 0));

        assertThat(unchecked).isTrue();
        assertThat(sentCommand()).isEqualTo(UPDATE);
        assertThat(check.isDone()).isTrue();
        assertThat(answers).isEmpty();
    }

    /** Autocommit on and no transaction: the gateway opens one and sends the statement in it. */
    private void runUnderAutocommit() {
        check.start();
        sentCommandCode();
        answer(OkPacket.of(0, 0, ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, 0));
        assertThat(sentCommand()).isEqualTo("START TRANSACTION");
        answer(OkPacket.of(0, 0, ServerStatusFlags.SERVER_STATUS_IN_TRANS, 0));
        assertThat(sentCommand()).isEqualTo(UPDATE);
    }

    private void answer(MySQLPacket packet) {
        check.onBackendFrame(MySQLFrame.fromPacket(packet, 1, backend.alloc()));
    }

    private int sentCommandCode() {
        MySQLFrame sent = backend.readOutbound();
        try {
            return sent.payload().getUnsignedByte(sent.payload().readerIndex());
        } finally {
            sent.release();
        }
    }

    private String sentCommand() {
        MySQLFrame sent = backend.readOutbound();
        try {
            return ComQueryPacket.read(new MySQLPayload(sent.payload().duplicate()))
                    .sql();
        } finally {
            sent.release();
        }
    }
}
