package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MySQLFrameCodecTest {

    private static final int MAX = MySQLFrame.MAX_CHUNK_LENGTH;

    private final EmbeddedChannel decoderChannel = new EmbeddedChannel(new MySQLFrameDecoder(64 * 1024 * 1024));
    private final EmbeddedChannel encoderChannel = new EmbeddedChannel(new MySQLFrameEncoder());

    @AfterEach
    void closeChannels() {
        assertThat(decoderChannel.finishAndReleaseAll())
                .as("decoder left messages")
                .isFalse();
        encoderChannel.finishAndReleaseAll();
    }

    private static ByteBuf wirePacket(int sequenceId, byte[] payload) {
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(payload.length);
        wire.writeByte(sequenceId);
        wire.writeBytes(payload);
        return wire;
    }

    private static byte[] patterned(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private MySQLFrame readFrame() {
        MySQLFrame frame = decoderChannel.readInbound();
        assertThat(frame).as("decoded frame").isNotNull();
        return frame;
    }

    private static byte[] bytesOf(MySQLFrame frame) {
        byte[] bytes = new byte[frame.payload().readableBytes()];
        frame.payload().getBytes(frame.payload().readerIndex(), bytes);
        frame.release();
        return bytes;
    }

    /** Encodes the frame and returns the concatenated wire bytes. */
    private ByteBuf encode(MySQLFrame frame) {
        encoderChannel.writeOutbound(frame);
        CompositeByteBuf wire = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        for (ByteBuf part; (part = encoderChannel.readOutbound()) != null; ) {
            wire.addComponent(true, part);
        }
        return wire;
    }

    @Test
    void decodesAPacketFedOneByteAtATime() {
        ByteBuf wire = wirePacket(3, new byte[] {1, 2, 3, 4, 5});
        while (wire.isReadable()) {
            assertThat(decoderChannel.<Object>readInbound()).isNull();
            decoderChannel.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();

        MySQLFrame frame = readFrame();
        assertThat(frame.sequenceId()).isEqualTo(3);
        assertThat(frame.chunkCount()).isEqualTo(1);
        assertThat(bytesOf(frame)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void decodesAPacketWhoseHeaderIsSplitAcrossReads() {
        ByteBuf wire = wirePacket(0, new byte[] {9, 8});
        decoderChannel.writeInbound(wire.readRetainedSlice(2));
        decoderChannel.writeInbound(wire.readRetainedSlice(3));
        assertThat(decoderChannel.<Object>readInbound()).isNull();
        decoderChannel.writeInbound(wire);

        assertThat(bytesOf(readFrame())).containsExactly(9, 8);
    }

    @Test
    void decodesSeveralPacketsFromOneBufferInOrder() {
        ByteBuf wire = Unpooled.wrappedBuffer(
                wirePacket(1, new byte[] {1}), wirePacket(2, new byte[0]), wirePacket(3, new byte[] {3, 3}));
        decoderChannel.writeInbound(wire);

        assertThat(bytesOf(readFrame())).containsExactly(1);
        MySQLFrame empty = readFrame();
        assertThat(empty.sequenceId()).isEqualTo(2);
        assertThat(bytesOf(empty)).isEmpty();
        assertThat(bytesOf(readFrame())).containsExactly(3, 3);
    }

    @Test
    void emitsPayloadsThatShareMemoryWithTheInputInsteadOfCopying() {
        ByteBuf wire = wirePacket(0, new byte[] {1, 2, 3});
        decoderChannel.writeInbound(wire);

        MySQLFrame frame = readFrame();
        assertThat(frame.payload().unwrap()).as("payload is a slice").isNotNull();
        frame.release();
    }

    @Test
    void reassemblesAPacketOfExactly16MibMinusOneFromItsChunkAndEmptyTrailer() {
        byte[] payload = patterned(MAX);
        decoderChannel.writeInbound(wirePacket(0, payload));
        assertThat(decoderChannel.<Object>readInbound())
                .as("waits for the trailing chunk")
                .isNull();
        decoderChannel.writeInbound(wirePacket(1, new byte[0]));

        MySQLFrame frame = readFrame();
        assertThat(frame.payload()).isInstanceOf(CompositeByteBuf.class);
        assertThat(frame.sequenceId()).isZero();
        assertThat(frame.chunkCount()).isEqualTo(2);
        assertThat(frame.nextSequenceId()).isEqualTo(2);
        assertThat(bytesOf(frame)).isEqualTo(payload);
    }

    @Test
    void reassemblesAPacketOneByteLongerThanAChunk() {
        byte[] payload = patterned(MAX + 1);
        ByteBuf first = wirePacket(7, Arrays.copyOf(payload, MAX));
        ByteBuf second = wirePacket(8, new byte[] {payload[MAX]});
        decoderChannel.writeInbound(Unpooled.wrappedBuffer(first, second));

        MySQLFrame frame = readFrame();
        assertThat(frame.sequenceId()).isEqualTo(7);
        assertThat(frame.chunkCount()).isEqualTo(2);
        assertThat(bytesOf(frame)).isEqualTo(payload);
    }

    @Test
    void reassemblesAPacketOfTwoFullChunks() {
        byte[] payload = patterned(2 * MAX);
        ByteBuf wire = encode(MySQLFrame.of(255, Unpooled.wrappedBuffer(payload)));
        decoderChannel.writeInbound(wire);

        MySQLFrame frame = readFrame();
        assertThat(frame.sequenceId()).isEqualTo(255);
        assertThat(frame.chunkCount()).isEqualTo(3);
        assertThat(frame.nextSequenceId()).isEqualTo(2);
        assertThat(bytesOf(frame)).isEqualTo(payload);
    }

    @Test
    void refusesAPacketLargerThanTheMaximumAsSoonAsItsHeaderArrives() {
        EmbeddedChannel small = new EmbeddedChannel(new MySQLFrameDecoder(10));
        ByteBuf header = Unpooled.buffer().writeMediumLE(11).writeByte(0);

        assertThatThrownBy(() -> small.writeInbound(header))
                .isInstanceOf(MySQLPacketTooLargeException.class)
                .hasMessage("MySQL packet payload of at least 11 bytes exceeds the maximum of 10 bytes");
        small.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6}));
        assertThat(small.<Object>readInbound()).as("later input is discarded").isNull();
        assertThat(small.finishAndReleaseAll()).isFalse();
    }

    @Test
    void handsOnEachFrameBeforeJudgingTheBytesAfterIt() {
        // An SSLRequest and, in the same segment, a TLS record whose header read as a MySQL one is far too large.
        MySQLFrameDecoder decoder = new MySQLFrameDecoder(100);
        List<ByteBuf> unframed = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ((MySQLFrame) msg).release();
                unframed.add(decoder.takeUnframedBytes());
            }
        });
        ByteBuf segment = wirePacket(1, new byte[32]).writeBytes(new byte[] {0x16, 0x03, 0x03, 0x01, 0x02});

        channel.writeInbound(segment);

        assertThat(unframed).hasSize(1);
        assertThat(ByteBufUtil.getBytes(unframed.get(0))).containsExactly(0x16, 0x03, 0x03, 0x01, 0x02);
        unframed.get(0).release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void raisesTheLimitForPacketsNotYetBegun() {
        MySQLFrameDecoder decoder = new MySQLFrameDecoder(10);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.setMaxPayloadBytes(100);

        channel.writeInbound(wirePacket(0, new byte[50]));

        MySQLFrame frame = channel.readInbound();
        assertThat(frame.payload().readableBytes()).isEqualTo(50);
        frame.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void countsEveryChunkOfASplitPacketAgainstTheMaximum() {
        EmbeddedChannel limited = new EmbeddedChannel(new MySQLFrameDecoder(MAX + 5));
        limited.writeInbound(wirePacket(0, new byte[MAX]));

        assertThatThrownBy(() -> limited.writeInbound(wirePacket(1, new byte[6])))
                .isInstanceOf(MySQLPacketTooLargeException.class)
                .satisfies(e -> assertThat(((MySQLPacketTooLargeException) e).payloadBytes())
                        .isEqualTo(MAX + 6L));
        assertThat(limited.finishAndReleaseAll()).isFalse();
    }

    @Test
    void encodesASmallFrameAsItsHeaderAndACopyOfItsPayloadInOneBuffer() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {0x0e});
        encoderChannel.writeOutbound(MySQLFrame.of(0, payload));

        ByteBuf packet = encoderChannel.readOutbound();
        assertThat(encoderChannel.<Object>readOutbound())
                .as("one message per frame")
                .isNull();
        assertThat(packet).isNotInstanceOf(CompositeByteBuf.class);
        assertThat(ByteBufUtil.hexDump(packet)).isEqualTo("010000000e");
        packet.release();
        assertThat(payload.refCnt()).as("frame released after encoding").isZero();
    }

    @Test
    void encodesALargerFrameAsHeaderAndPayloadSliceWithoutCopyingThePayload() {
        byte[] bytes = patterned(MySQLFrameEncoder.COPY_BELOW_BYTES);
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        encoderChannel.writeOutbound(MySQLFrame.of(3, payload));

        CompositeByteBuf packet = encoderChannel.readOutbound();
        assertThat(encoderChannel.<Object>readOutbound())
                .as("one message per frame")
                .isNull();
        assertThat(packet.numComponents()).isEqualTo(2);
        assertThat(ByteBufUtil.hexDump(packet.internalComponent(0))).isEqualTo("00080003");
        assertThat(packet.internalComponent(1).unwrap())
                .as("a slice of the frame's payload")
                .isSameAs(payload);
        packet.release();
        assertThat(payload.refCnt()).as("frame released after encoding").isZero();
    }

    @Test
    void encodesAnExactChunkMultipleWithAnEmptyTrailingChunkAndConsecutiveSequenceIds() {
        encoderChannel.writeOutbound(MySQLFrame.of(4, Unpooled.wrappedBuffer(new byte[MAX])));

        CompositeByteBuf packet = encoderChannel.readOutbound();
        List<Integer> headerLengths = new ArrayList<>();
        List<Integer> sequenceIds = new ArrayList<>();
        for (int i = 0; i < packet.numComponents(); i++) {
            ByteBuf part = packet.internalComponent(i);
            if (part.readableBytes() == 4) {
                headerLengths.add(part.getUnsignedMediumLE(part.readerIndex()));
                sequenceIds.add((int) part.getUnsignedByte(part.readerIndex() + 3));
            }
        }
        packet.release();
        assertThat(headerLengths).containsExactly(MAX, 0);
        assertThat(sequenceIds).containsExactly(4, 5);
    }

    @Test
    void decodesWhatTheEncoderWroteWithTheSameSequenceIdAndBytes() {
        byte[] payload = patterned(1000);
        ByteBuf wire = encode(MySQLFrame.of(9, Unpooled.wrappedBuffer(payload)));
        while (wire.isReadable()) {
            decoderChannel.writeInbound(wire.readRetainedSlice(Math.min(7, wire.readableBytes())));
        }
        wire.release();

        MySQLFrame frame = readFrame();
        assertThat(frame.sequenceId()).isEqualTo(9);
        assertThat(bytesOf(frame)).isEqualTo(payload);
    }

    @Test
    void buildsAFrameFromAPacket() {
        MySQLFrame frame = MySQLFrame.fromPacket(p -> p.writeStringEof("hi"), 2, ByteBufAllocator.DEFAULT);

        assertThat(frame.sequenceId()).isEqualTo(2);
        assertThat(frame.chunkCount()).isEqualTo(1);
        assertThat(bytesOf(frame)).containsExactly('h', 'i');
    }
}
