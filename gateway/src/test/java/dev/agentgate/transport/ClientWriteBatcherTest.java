package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Small frames nobody waits for reach the client as few large writes, in the order written, memory bounded. */
class ClientWriteBatcherTest {

    private final EmbeddedChannel client = new EmbeddedChannel(new MySQLFrameEncoder(), new ClientWriteBatcher());
    private final ChannelPromise unwatched = new VoidChannelPromise(client, false);
    private final ByteArrayOutputStream expected = new ByteArrayOutputStream();

    @AfterEach
    void releaseEverything() {
        client.finishAndReleaseAll();
    }

    @Test
    void smallFramesWrittenWithoutAWaiterReachTheClientAsOneBufferOnlyAtTheFlush() {
        for (int sequenceId = 1; sequenceId <= 3; sequenceId++) {
            client.write(frame(sequenceId, 100), unwatched);
        }
        assertThat((Object) client.readOutbound())
                .as("nothing before the flush")
                .isNull();

        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).hasSize(1);
        assertThat(bytesOf(written)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aBatchIsPassedOnBeforeAFrameThatWouldOverflowItSoNoWriteExceedsSixteenKibibytes() {
        for (int sequenceId = 0; sequenceId < 100; sequenceId++) { // 100 x 404 bytes: 40,400 bytes
            client.write(frame(sequenceId, 400), unwatched);
        }
        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).extracting(ByteBuf::readableBytes).containsExactly(40 * 404, 40 * 404, 20 * 404);
        assertThat(bytesOf(written)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aWriteSomebodyWaitsForGoesAfterTheFramesBatchedBeforeIt() {
        client.write(frame(1, 100), unwatched);
        ChannelPromise awaited = client.newPromise();
        client.write(frame(2, 100), awaited);
        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).extracting(ByteBuf::readableBytes).containsExactly(104, 104);
        assertThat(bytesOf(written)).isEqualTo(expected.toByteArray());
        assertThat(awaited.isSuccess()).isTrue();
    }

    @Test
    void aFrameTooLargeToCopyGoesUncopiedAfterTheBatchedOnes() {
        client.write(frame(1, 100), unwatched);
        client.write(frame(2, 5000), unwatched);
        client.write(frame(3, 100), unwatched);
        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).extracting(ByteBuf::readableBytes).containsExactly(104, 5004, 104);
        assertThat(bytesOf(written)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aBatchedFrameIsReleasedAsSoonAsItIsCopied() {
        MySQLFrame row = frame(1, 100);

        client.write(row, unwatched);

        assertThat(row.payload().refCnt()).isZero();
    }

    @Test
    void aClosedChannelReleasesTheBatchThatWasNeverFlushed() {
        client.write(frame(1, 100), unwatched);

        client.close();

        assertThat((Object) client.readOutbound()).isNull();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theClientTurnsUnwritableOnceAFullBatchIsPassedOnSoBackpressureLagsByLessThanOneBatch() {
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        for (int sequenceId = 0; sequenceId < 40; sequenceId++) { // 40 x 404 bytes fill a batch: still held back
            client.write(frame(sequenceId, 400), unwatched);
        }
        assertThat(client.isWritable()).isTrue();

        client.write(frame(40, 400), unwatched);

        assertThat(client.isWritable()).isFalse();
        client.flush();
        assertThat(bytesOf(written())).isEqualTo(expected.toByteArray());
    }

    /** A frame of {@code length} payload bytes (its sequence id repeated), its encoding appended to the expected. */
    private MySQLFrame frame(int sequenceId, int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) sequenceId);
        expected.write(length & 0xFF);
        expected.write((length >> 8) & 0xFF);
        expected.write((length >> 16) & 0xFF);
        expected.write(sequenceId & 0xFF);
        expected.writeBytes(payload);
        return MySQLFrame.of(sequenceId & 0xFF, Unpooled.wrappedBuffer(payload));
    }

    private List<ByteBuf> written() {
        return ClientWrites.written(client);
    }

    private static byte[] bytesOf(List<ByteBuf> written) {
        return ClientWrites.bytesOf(written);
    }
}
