package dev.agentgate.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the frame decoder and the packet parsers. As a plain JUnit test (the build) each
 * method runs over its seed corpus in {@code src/test/resources/dev/agentgate/protocol/ProtocolFuzzTestInputs};
 * {@code scripts/fuzz.sh} runs them for as long as asked. The property: bad input ends in the decoder's or the
 * parser's own exception, never in another one, and every frame can be released.
 */
class ProtocolFuzzTest {

    /** Small, so that the fuzzer reaches the limit; the real limit is only a larger number. */
    private static final int MAX_PAYLOAD = 512;

    /**
     * The first byte picks how the rest is cut into reads (1-64 bytes each): the decoder must frame the same bytes the
     * same way however they arrive.
     */
    @FuzzTest
    void decodesAnyByteStreamIntoFramesOrRefusesIt(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int fragment = (input[0] & 0x3F) + 1;
        EmbeddedChannel channel = new EmbeddedChannel(new MySQLFrameDecoder(MAX_PAYLOAD));
        try {
            for (int offset = 1; offset < input.length; offset += fragment) {
                channel.writeInbound(Unpooled.wrappedBuffer(
                        Arrays.copyOfRange(input, offset, Math.min(input.length, offset + fragment))));
                for (MySQLFrame frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                    if (frame.payload().readableBytes() > MAX_PAYLOAD) {
                        throw new AssertionError("frame of " + frame.payload().readableBytes()
                                + " bytes passed a limit of " + MAX_PAYLOAD);
                    }
                    frame.release();
                }
            }
        } catch (DecoderException expected) {
            // Oversized: refused, and the stream is discarded from here on.
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The first byte picks the packet class; the rest is its payload. */
    @FuzzTest
    void parsesAnyPayloadOrReportsItMalformed(byte[] input) {
        if (input.length == 0) {
            return;
        }
        MySQLPayload payload = new MySQLPayload(Unpooled.wrappedBuffer(input, 1, input.length - 1));
        try {
            switch ((input[0] & 0xFF) % 12) {
                case 0 -> HandshakeResponse41Packet.read(payload);
                case 1 -> SslRequestPacket.read(payload);
                case 2 -> ComChangeUserPacket.read(payload, ~0L);
                case 3 -> ComStmtExecutePacket.read(payload);
                case 4 -> ErrPacket.read(payload);
                case 5 -> OkPacket.read(payload, ~0L);
                case 6 -> ColumnDefinition41Packet.read(payload, true);
                case 7 -> ComStmtPrepareOkPacket.read(payload);
                case 8 -> HandshakeV10Packet.read(payload);
                case 9 -> AuthSwitchRequestPacket.read(payload);
                case 10 -> ComSetOptionPacket.read(payload);
                default -> EofPacket.read(payload);
            }
        } catch (MalformedPacketException expected) {
            // The parser's one way of saying no.
        }
    }
}
