package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the decoder joins a packet cut by TCP with the bytes after it: large reads uncopied, small ones copied. */
class MySQLFrameCumulationTest {

    private final MySQLFrameDecoder decoder = new MySQLFrameDecoder(1 << 20);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);
    private final List<MySQLFrame> frames = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        frames.forEach(MySQLFrame::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void aPacketInALargeReadAfterACutOneIsASliceOfThatReadNotACopy() {
        ByteBuf wire = packets(200, 100); // 200 packets of 104 bytes: 20,800 bytes
        ByteBuf first = read(wire, 10_000 + 50); // ends 50 bytes into a packet
        ByteBuf second = read(wire, wire.readableBytes());

        feed(first);
        feed(second);

        MySQLFrame afterTheCut = frames.get(97); // the first packet that lies wholly in the second read
        assertThat(afterTheCut.payload().unwrap()).isSameAs(second);
        assertThat(frames).hasSize(200);
        wire.release();
    }

    @Test
    void aPacketThatStraddlesTwoLargeReadsIsWholeAndInOrder() {
        ByteBuf wire = packets(200, 100);
        byte[] straddling = ByteBufUtil.getBytes(wire, 96 * 104 + MySQLFrame.HEADER_LENGTH, 100);

        feed(read(wire, 10_000 + 50));
        feed(read(wire, wire.readableBytes()));

        assertThat(ByteBufUtil.getBytes(frames.get(96).payload())).isEqualTo(straddling);
        assertThat(frames.get(96).sequenceId()).isEqualTo(96);
        wire.release();
    }

    @Test
    void aPacketSentAFewBytesPerReadIsHeldInOneBufferNotOnePerRead() {
        ByteBuf wire = packets(1, 5000);
        while (wire.readableBytes() > 1) {
            feed(read(wire, Math.min(3, wire.readableBytes() - 1)));
        }

        ByteBuf held = decoder.takeUnframedBytes();

        assertThat(held.readableBytes()).isEqualTo(5003);
        assertThat(held.unwrap()).isNotInstanceOf(CompositeByteBuf.class);
        held.release();
        wire.release();
    }

    /** {@code count} packets of {@code length} payload bytes, sequence ids 0, 1, ...; payload bytes vary. */
    private static ByteBuf packets(int count, int length) {
        ByteBuf wire = Unpooled.directBuffer();
        for (int sequenceId = 0; sequenceId < count; sequenceId++) {
            wire.writeMediumLE(length).writeByte(sequenceId & 0xFF);
            for (int i = 0; i < length; i++) {
                wire.writeByte(sequenceId * 31 + i);
            }
        }
        return wire;
    }

    /**
     * The next {@code length} bytes of {@code wire} in a buffer of their own, as a socket read gives them (not from an
     * allocator, so not wrapped for leak tracking, and so comparable by identity).
     */
    private static ByteBuf read(ByteBuf wire, int length) {
        byte[] bytes = new byte[length];
        wire.readBytes(bytes);
        return Unpooled.wrappedBuffer(
                ByteBuffer.allocateDirect(length).put(bytes).flip());
    }

    private void feed(ByteBuf read) {
        channel.writeInbound(read);
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            frames.add((MySQLFrame) frame);
        }
    }
}
