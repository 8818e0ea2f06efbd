package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames relayed as the backend sent them leave as slices of the bytes received, identical to their encoding. */
class ClientWriteBatcherSpanTest {

    private final EmbeddedChannel client = new EmbeddedChannel(new MySQLFrameEncoder(), new ClientWriteBatcher());
    private final ChannelPromise unwatched = new VoidChannelPromise(client, false);

    @AfterEach
    void releaseEverything() {
        client.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {true, false})
    void framesReceivedInOneBufferLeaveAsOneSliceOfItWithTheSameBytes(boolean direct) {
        ByteBuf received = wire(direct, 1, 2, 3);
        byte[] sent = ByteBufUtil.getBytes(received);

        for (MySQLFrame frame : framesOf(received)) {
            client.write(frame, unwatched);
        }
        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).unwrap())
                .as("a slice of the received buffer, not a copy")
                .isSameAs(received);
        assertThat(bytesOf(written)).isEqualTo(sent);
    }

    @Test
    void rowsTakenAsOneRunBetweenFramesOfTheSameBufferLeaveWithThemAsOneSlice() {
        ByteBuf received = wire(true, 1, 2, 3, 4, 5);
        byte[] sent = ByteBufUtil.getBytes(received);
        List<MySQLFrame> frames = framesOf(received);
        ClientWriteBatcher batcher = client.pipeline().get(ClientWriteBatcher.class);

        client.write(frames.get(0), unwatched);
        batcher.appendRows(received.retainedSlice(104, 3 * 104)); // the three packets after the first
        frames.subList(1, 4).forEach(MySQLFrame::release);
        client.write(frames.get(4), unwatched);
        client.flush();

        List<ByteBuf> written = written();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).unwrap()).isSameAs(received);
        assertThat(bytesOf(written)).isEqualTo(sent);
    }

    @Test
    void rowsNotReceivedAsTheyAreLeaveAfterWhatWasBatchedBeforeThem() {
        ByteBuf received = wire(true, 1);
        ByteBuf masked =
                Unpooled.buffer().writeMediumLE(2).writeByte(2).writeByte('*').writeByte('*');
        byte[] expected = ByteBufUtil.getBytes(
                Unpooled.wrappedBuffer(ByteBufUtil.getBytes(received), ByteBufUtil.getBytes(masked)));

        client.write(framesOf(received).get(0), unwatched);
        client.pipeline().get(ClientWriteBatcher.class).appendRows(masked);
        client.flush();

        assertThat(bytesOf(written())).isEqualTo(expected);
    }

    @Test
    void aFrameWithAnotherSequenceIdThanTheBytesBeforeItIsWrittenWithItsOwnHeader() {
        ByteBuf received = wire(true, 1);
        ByteBuf payload = received.retainedSlice(MySQLFrame.HEADER_LENGTH, 100);

        client.write(new MySQLFrame(7, 1, payload), unwatched);
        client.flush();

        byte[] out = bytesOf(written());
        assertThat(out).hasSize(104);
        assertThat(out[3]).isEqualTo((byte) 7);
        received.release();
    }

    @Test
    void aFrameLeftOutBetweenTwoOthersIsNotWritten() {
        ByteBuf received = wire(true, 1, 2, 3);
        List<MySQLFrame> frames = framesOf(received);
        byte[] first = ByteBufUtil.getBytes(received, 0, 104);
        byte[] third = ByteBufUtil.getBytes(received, 208, 104);

        client.write(frames.get(0), unwatched);
        frames.get(1).release(); // withheld, as a cut response withholds rows
        client.write(frames.get(2), unwatched);
        client.flush();

        byte[] out = bytesOf(written());
        assertThat(out).hasSize(208);
        assertThat(java.util.Arrays.copyOfRange(out, 0, 104)).isEqualTo(first);
        assertThat(java.util.Arrays.copyOfRange(out, 104, 208)).isEqualTo(third);
    }

    @Test
    void aSpanIsPassedOnBeforeItWouldExceedSixteenKibibytes() {
        int[] sequenceIds = new int[100]; // 100 x 104 bytes: 10,400 bytes per received buffer, two of them
        for (int i = 0; i < sequenceIds.length; i++) {
            sequenceIds[i] = i;
        }
        List<MySQLFrame> frames = new ArrayList<>(framesOf(wire(true, sequenceIds)));
        frames.addAll(framesOf(wire(true, sequenceIds)));

        frames.forEach(frame -> client.write(frame, unwatched));
        client.flush();

        assertThat(written())
                .allSatisfy(buffer -> assertThat(buffer.readableBytes()).isLessThanOrEqualTo(16 * 1024))
                .extracting(ByteBuf::readableBytes)
                .containsExactly(10_400, 10_400);
    }

    @Test
    void theReceivedBufferIsFreedOnceItsSpanIsWrittenAndReleased() {
        ByteBuf received = wire(true, 1, 2);
        List<MySQLFrame> frames = framesOf(received);
        received.release(); // the decoder's own reference: only the frames hold it now

        frames.forEach(frame -> client.write(frame, unwatched));
        assertThat(received.refCnt()).as("held by the open span").isEqualTo(1);
        client.flush();
        written().forEach(ByteBuf::release);

        assertThat(received.refCnt()).isZero();
    }

    @Test
    void aSpanNeverFlushedIsReleasedWhenTheChannelCloses() {
        ByteBuf received = wire(true, 1);
        List<MySQLFrame> frames = framesOf(received);
        received.release();
        client.write(frames.get(0), unwatched);

        client.close();

        assertThat(received.refCnt()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void whateverTheBackendsBytesArriveInTheClientGetsExactlyThem(long seed) {
        Random random = new Random(seed);
        ByteBuf stream = Unpooled.buffer();
        for (int sequenceId = 0; sequenceId < 300; sequenceId++) { // small rows, and some too large to batch
            int length = random.nextInt(10) == 0 ? 2048 + random.nextInt(3000) : random.nextInt(300);
            stream.writeMediumLE(length).writeByte(sequenceId & 0xFF);
            for (int i = 0; i < length; i++) {
                stream.writeByte(random.nextInt(256));
            }
        }
        byte[] sent = ByteBufUtil.getBytes(stream);
        EmbeddedChannel backend = new EmbeddedChannel(new MySQLFrameDecoder(1 << 20));
        List<ByteBuf> reads = new ArrayList<>();

        while (stream.isReadable()) { // TCP's cuts: anywhere, headers included
            int piece = Math.min(stream.readableBytes(), 1 + random.nextInt(5000));
            byte[] bytes = new byte[piece];
            stream.readBytes(bytes);
            ByteBuf read = Unpooled.wrappedBuffer(
                    ByteBuffer.allocateDirect(piece).put(bytes).flip());
            reads.add(read);
            backend.writeInbound(read);
            for (Object frame = backend.readInbound(); frame != null; frame = backend.readInbound()) {
                client.write(frame, unwatched);
            }
            client.flush();
        }

        assertThat(bytesOf(written())).isEqualTo(sent);
        stream.release();
        backend.finishAndReleaseAll();
        assertThat(reads)
                .as("every buffer received is freed")
                .allSatisfy(read -> assertThat(read.refCnt()).isZero());
    }

    /**
     * One received buffer: frames of 100 payload bytes each, with these sequence ids, as the backend sent them. Not
     * from an allocator, so not leak-tracked (a tracked buffer is copied, see {@link ReceivedSpan#open}).
     */
    private static ByteBuf wire(boolean direct, int... sequenceIds) {
        ByteBuf bytes = Unpooled.buffer();
        for (int sequenceId : sequenceIds) {
            bytes.writeMediumLE(100).writeByte(sequenceId & 0xFF);
            for (int i = 0; i < 100; i++) {
                bytes.writeByte(sequenceId + i);
            }
        }
        byte[] wire = ByteBufUtil.getBytes(bytes);
        bytes.release();
        if (!direct) {
            return Unpooled.wrappedBuffer(wire);
        }
        return Unpooled.wrappedBuffer(
                ByteBuffer.allocateDirect(wire.length).put(wire).flip());
    }

    /** The frames in {@code received}, each payload a retained slice of it, as the frame decoder makes them. */
    private static List<MySQLFrame> framesOf(ByteBuf received) {
        List<MySQLFrame> frames = new ArrayList<>();
        for (int at = 0; at < received.writerIndex(); ) {
            int length = received.getUnsignedMediumLE(at);
            int sequenceId = received.getUnsignedByte(at + 3);
            frames.add(new MySQLFrame(sequenceId, 1, received.retainedSlice(at + MySQLFrame.HEADER_LENGTH, length)));
            at += MySQLFrame.HEADER_LENGTH + length;
        }
        return frames;
    }

    private List<ByteBuf> written() {
        return ClientWrites.written(client);
    }

    private static byte[] bytesOf(List<ByteBuf> written) {
        return ClientWrites.bytesOf(written);
    }
}
