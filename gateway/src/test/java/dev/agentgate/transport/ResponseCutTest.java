package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponseCutTest {

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
    private final MaskingSession masking =
            new MaskingSession(new PreparedStatements(), ByteBufAllocator.DEFAULT, client::write);
    private int cancels;
    private final ResponseCut cut = new ResponseCut(connection, masking, () -> cancels++);

    @AfterEach
    void releaseWhatIsLeft() {
        client.finishAndReleaseAll();
    }

    @Test
    void passesRowsWithinTheBudgetUntouched() {
        cut.begin(new RowBudget(2));

        assertThat(cut.withholds(PacketRole.TEXT_ROW, row(3))).isFalse();
        assertThat(cut.withholds(PacketRole.TEXT_ROW, row(4))).isFalse();
        assertThat(cut.withholds(PacketRole.RESULTSET_END, row(5))).isFalse();
        assertThat(cut.isCut()).isFalse();
        assertThat(cancels).isZero();
    }

    @Test
    void replacesTheFirstRowOverTheBudgetWithAnErrorOfItsSequenceIdAndCancelsTheStatement() {
        cut.begin(new RowBudget(1));
        cut.withholds(PacketRole.TEXT_ROW, row(3));
        MySQLFrame over = row(4);

        assertThat(cut.withholds(PacketRole.TEXT_ROW, over)).isTrue();

        assertThat(over.refCnt()).isZero();
        MySQLFrame sent = sentFrame();
        try {
            assertThat(sent.sequenceId()).isEqualTo(4);
            ErrPacket error = ErrPacket.read(sent.reader());
            assertThat(error.errorCode()).isEqualTo(MySQLErrorCode.ER_QUERY_INTERRUPTED.code());
            assertThat(error.message()).contains("the first 1 rows, the policy's max_rows");
        } finally {
            sent.release();
        }
        assertThat(cut.isCut()).isTrue();
        assertThat(cancels).isEqualTo(1);
    }

    @Test
    void dropsEverythingAfterTheCut() {
        cut.begin(new RowBudget(0));
        cut.withholds(PacketRole.BINARY_ROW, row(3));
        MySQLFrame later = row(4);
        MySQLFrame end = row(5);

        assertThat(cut.withholds(PacketRole.BINARY_ROW, later)).isTrue();
        assertThat(cut.withholds(PacketRole.RESULTSET_END, end)).isTrue();

        assertThat(later.refCnt()).isZero();
        assertThat(end.refCnt()).isZero();
        ((MySQLFrame) sentFrame()).release();
        assertThat((Object) sentFrame()).isNull();
        assertThat(cancels).isEqualTo(1);
    }

    @Test
    void cutsAtTheNextPacketWhenAsked() {
        cut.begin(RowBudget.UNLIMITED);
        cut.cutAtNextPacket(new ErrPacket(4031, "HY000", "token expired"));

        assertThat(cut.withholds(PacketRole.ERR, row(1))).isTrue();

        MySQLFrame sent = sentFrame();
        try {
            assertThat(sent.sequenceId()).isEqualTo(1);
            assertThat(ErrPacket.read(sent.reader()).message()).isEqualTo("token expired");
        } finally {
            sent.release();
        }
        assertThat(cancels).as("the caller cancels what it cut").isZero();
    }

    @Test
    void aNewCommandStartsUncut() {
        cut.begin(new RowBudget(0));
        cut.withholds(PacketRole.TEXT_ROW, row(3));
        ((MySQLFrame) sentFrame()).release();

        cut.begin(new RowBudget(5));

        assertThat(cut.isCut()).isFalse();
        assertThat(cut.withholds(PacketRole.TEXT_ROW, row(3))).isFalse();
    }

    @Test
    void sharesOneBudgetAcrossTheFetchesOfACursor() {
        RowBudget budget = new RowBudget(3);
        cut.begin(budget);
        cut.withholds(PacketRole.BINARY_ROW, row(1));
        cut.withholds(PacketRole.BINARY_ROW, row(2));

        cut.begin(budget);

        assertThat(cut.withholds(PacketRole.BINARY_ROW, row(1))).isFalse();
        assertThat(cut.withholds(PacketRole.BINARY_ROW, row(2))).isTrue();
        ((MySQLFrame) sentFrame()).release();
    }

    /** The cut writes without flushing (the relay flushes once the backend has no more to read): flush, then read. */
    private MySQLFrame sentFrame() {
        client.flush();
        return client.readOutbound();
    }

    private static MySQLFrame row(int sequenceId) {
        return MySQLFrame.of(sequenceId, Unpooled.wrappedBuffer(new byte[] {1, 'x'}));
    }
}
