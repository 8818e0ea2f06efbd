package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoder asked for runs of rows: which packets it hands on together, and that nothing is lost or reordered. */
class MySQLFrameRunDecodingTest {

    private final MySQLFrameDecoder decoder = new MySQLFrameDecoder(1 << 20);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);
    private final List<Object> decoded = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        decoded.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void textRowsReadTogetherAreHandedOnAsOneRunAndTheEndPacketAsAFrame() {
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        ByteBuf wire = Unpooled.buffer();
        for (int row = 0; row < 50; row++) {
            packet(wire, row + 3, 0x03, 40); // first byte 0x03: a value of 3 bytes
        }
        packet(wire, 53, 0xFE, 7); // the OK that ends the result set

        feed(wire);

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0)).isInstanceOfSatisfying(MySQLFrameRun.class, run -> {
            assertThat(run.packets()).isEqualTo(50);
            assertThat(run.bytes().readableBytes()).isEqualTo(50 * 44);
        });
        assertThat(decoded.get(1))
                .isInstanceOfSatisfying(
                        MySQLFrame.class, end -> assertThat(end.sequenceId()).isEqualTo(53));
    }

    @Test
    void anErrorAmongTextRowsEndsTheRunAndComesAsAFrameOfItsOwn() {
        feedPacketsStartingWith(MySQLFrameRun.Rows.TEXT, 0x01, 0x02, 0xFF);

        assertThat(shapes()).containsExactly("run of 2", "frame");
    }

    @Test
    void binaryRowsAreOnlyPacketsWithHeaderZero() {
        // 0x07: not a binary row; the tracker refuses it, one frame at a time
        feedPacketsStartingWith(MySQLFrameRun.Rows.BINARY, 0x00, 0x00, 0x07, 0x00);

        assertThat(shapes()).containsExactly("run of 2", "frame", "run of 1");
    }

    @Test
    void anEmptyPacketIsNeverPartOfARun() {
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(0).writeByte(1);

        feed(wire);

        assertThat(decoded).singleElement().isInstanceOf(MySQLFrame.class);
    }

    @Test
    void aRowOfSeveralChunksIsReassembledAsAFrameNotRun() {
        decoder.setMaxPayloadBytes(1 << 25);
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 1, 0x01, MySQLFrame.MAX_CHUNK_LENGTH);
        packet(wire, 2, 0x01, 5);

        feed(wire);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(MySQLFrame.class, row -> {
            assertThat(row.chunkCount()).isEqualTo(2);
            assertThat(row.payload().readableBytes()).isEqualTo(MySQLFrame.MAX_CHUNK_LENGTH + 5);
        });
    }

    @Test
    void aRowOverThePayloadLimitIsRefusedAsWithoutRuns() {
        decoder.setMaxPayloadBytes(100);
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 1, 0x01, 50);
        packet(wire, 2, 0x01, 101);

        assertThatThrownBy(() -> feed(wire)).isInstanceOf(MySQLPacketTooLargeException.class);
        feed(Unpooled.EMPTY_BUFFER);
        assertThat(decoded).singleElement().isInstanceOf(MySQLFrameRun.class);
    }

    @Test
    void withoutRunsAskedForEveryRowIsAFrame() {
        ByteBuf wire = Unpooled.buffer();
        for (int row = 0; row < 5; row++) {
            packet(wire, row, 0x01, 20);
        }

        feed(wire);

        assertThat(decoded).hasSize(5).allSatisfy(frame -> assertThat(frame).isInstanceOf(MySQLFrame.class));
    }

    @Test
    void aRunSplitIntoFramesGivesTheFramesTheDecoderWouldHaveMade() {
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 7, 0x01, 20);
        packet(wire, 8, 0x02, 30);
        byte[] secondPayload = ByteBufUtil.getBytes(wire, 24 + MySQLFrame.HEADER_LENGTH, 30);
        feed(wire);
        MySQLFrameRun run = (MySQLFrameRun) decoded.remove(0);
        List<MySQLFrame> frames = new ArrayList<>();

        run.forEachFrame(frames::add);

        assertThat(frames).extracting(MySQLFrame::sequenceId).containsExactly(7, 8);
        assertThat(ByteBufUtil.getBytes(frames.get(1).payload())).isEqualTo(secondPayload);
        frames.forEach(MySQLFrame::release);
        assertThat(wire.refCnt())
                .as("nothing of the read is held once the frames are released")
                .isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void whereverTcpCutsTheBytesRunsAndFramesTogetherAreExactlyThem(long seed) {
        Random random = new Random(seed);
        ByteBuf wire = Unpooled.buffer();
        for (int row = 0; row < 2000; row++) { // rows of 1 to ~5,000 bytes, some the end packet's header
            int first = random.nextInt(20) == 0 ? 0xFE : random.nextInt(254);
            packet(wire, row, first, 1 + (random.nextInt(10) == 0 ? random.nextInt(5000) : random.nextInt(300)));
        }
        byte[] sent = ByteBufUtil.getBytes(wire);
        decoder.emitRuns(MySQLFrameRun.Rows.TEXT);
        int reads = 0;

        while (wire.isReadable()) {
            reads++;
            int piece = Math.min(wire.readableBytes(), 1 + random.nextInt(20_000));
            byte[] bytes = new byte[piece];
            wire.readBytes(bytes);
            feed(Unpooled.wrappedBuffer(
                    ByteBuffer.allocateDirect(piece).put(bytes).flip()));
        }

        assertThat(bytesOf(decoded)).isEqualTo(sent);
        assertThat(decoded).filteredOn(MySQLFrameRun.class::isInstance).isNotEmpty();
        assertThat(decoded)
                .filteredOn(out ->
                        out instanceof MySQLFrame frame && frame.payload().getUnsignedByte(0) != 0xFE)
                .as("rows come as frames only where one straddles two reads")
                .hasSizeLessThan(reads);
        wire.release();
    }

    /** Asks for runs of {@code rows}, then feeds one read of 10-byte packets starting with these bytes. */
    private void feedPacketsStartingWith(MySQLFrameRun.Rows rows, int... firstBytes) {
        decoder.emitRuns(rows);
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < firstBytes.length; i++) {
            packet(wire, i + 1, firstBytes[i], 10);
        }
        feed(wire);
    }

    /** What was decoded, in order: "run of N" or "frame". */
    private List<String> shapes() {
        return decoded.stream()
                .map(out -> out instanceof MySQLFrameRun run ? "run of " + run.packets() : "frame")
                .toList();
    }

    /** A packet of {@code length} payload bytes starting with {@code first}. */
    private static void packet(ByteBuf wire, int sequenceId, int first, int length) {
        wire.writeMediumLE(length).writeByte(sequenceId & 0xFF).writeByte(first);
        wire.writeZero(length - 1);
    }

    private void feed(ByteBuf read) {
        channel.writeInbound(read);
        for (Object out = channel.readInbound(); out != null; out = channel.readInbound()) {
            decoded.add(out);
        }
    }

    /** What was decoded, as bytes on the wire again: runs as they are, frames with their headers. */
    private static byte[] bytesOf(List<Object> decoded) {
        ByteBuf all = Unpooled.buffer();
        for (Object out : decoded) {
            if (out instanceof MySQLFrameRun run) {
                all.writeBytes(
                        run.bytes(), run.bytes().readerIndex(), run.bytes().readableBytes());
            } else {
                MySQLFrame frame = (MySQLFrame) out;
                all.writeMediumLE(frame.payload().readableBytes()).writeByte(frame.sequenceId());
                all.writeBytes(
                        frame.payload(),
                        frame.payload().readerIndex(),
                        frame.payload().readableBytes());
            }
        }
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }
}
