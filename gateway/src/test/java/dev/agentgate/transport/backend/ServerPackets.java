package dev.agentgate.transport.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Server-side packets written byte by byte from the protocol documentation, independent of the codec under test. */
final class ServerPackets {

    private ServerPackets() {}

    /** A whole wire packet: 3-byte length, sequence id, payload. */
    static ByteBuf frame(int sequenceId, byte[] payload) {
        return Unpooled.buffer()
                .writeMediumLE(payload.length)
                .writeByte(sequenceId)
                .writeBytes(payload);
    }

    static byte[] greeting(long capabilities, byte[] seed20, String plugin) {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(10).writeBytes(ascii("8.0.40")).writeByte(0).writeIntLE(7);
        out.writeBytes(seed20, 0, 8).writeByte(0);
        out.writeShortLE((int) (capabilities & 0xFFFF)).writeByte(255).writeShortLE(0x0002);
        out.writeShortLE((int) (capabilities >>> 16)).writeByte(21).writeZero(10);
        out.writeBytes(seed20, 8, 12).writeByte(0);
        out.writeBytes(ascii(plugin)).writeByte(0);
        return bytes(out);
    }

    static byte[] authMoreData(byte... data) {
        return bytes(Unpooled.buffer().writeByte(0x01).writeBytes(data));
    }

    static byte[] authSwitch(String plugin, byte[] seed20) {
        return bytes(Unpooled.buffer()
                .writeByte(0xFE)
                .writeBytes(ascii(plugin))
                .writeByte(0)
                .writeBytes(seed20)
                .writeByte(0));
    }

    /** OK with no affected rows, no insert id, status SERVER_STATUS_AUTOCOMMIT, no warnings. */
    static byte[] ok() {
        return new byte[] {0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
    }

    static byte[] err(int code, String sqlState, String message) {
        return bytes(Unpooled.buffer()
                .writeByte(0xFF)
                .writeShortLE(code)
                .writeByte('#')
                .writeBytes(ascii(sqlState))
                .writeBytes(ascii(message)));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }
}
