package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import java.util.function.Function;

/** Writes packets into buffers and reads them back, checking that every byte is consumed and released. */
final class PacketTestSupport {

    private PacketTestSupport() {}

    /** Writes {@code packet}, reads it back with {@code reader} and asserts nothing is left over. */
    static <T extends MySQLPacket> T roundTrip(T packet, Function<MySQLPayload, ? extends T> reader) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            packet.write(new MySQLPayload(buffer));
            T result = reader.apply(new MySQLPayload(buffer));
            assertThat(buffer.readableBytes())
                    .as("bytes left after reading " + packet.getClass().getSimpleName())
                    .isZero();
            return result;
        } finally {
            buffer.release();
        }
    }

    /** The bytes {@code packet} writes. */
    static byte[] bytesOf(MySQLPacket packet) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            packet.write(new MySQLPayload(buffer));
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    /** Reads {@code bytes} (hex) with {@code reader}. */
    static <T> T readHex(String hex, Function<MySQLPayload, T> reader) {
        ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        try {
            return reader.apply(new MySQLPayload(buffer));
        } finally {
            buffer.release();
        }
    }

    /** A payload built by {@code writer}, as a buffer the caller releases. */
    static ByteBuf payload(Consumer<MySQLPayload> writer) {
        ByteBuf buffer = Unpooled.buffer();
        writer.accept(new MySQLPayload(buffer));
        return buffer;
    }
}
