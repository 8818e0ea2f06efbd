package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Column definitions and row payloads built by hand for the row codec tests. */
final class ResultsetRowTestSupport {

    private ResultsetRowTestSupport() {}

    static ColumnDefinition41Packet column(ColumnType type) {
        return column(type, 0, 0);
    }

    static ColumnDefinition41Packet column(ColumnType type, int flags, int decimals) {
        return new ColumnDefinition41Packet(
                "def",
                "appdb",
                "t",
                "t",
                "c",
                "c",
                ColumnDefinitionFlags.BINARY_CHARACTER_SET,
                11,
                type.code(),
                flags,
                decimals,
                null);
    }

    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    static String hexOf(ResultsetRow row) {
        ByteBuf out = Unpooled.buffer(row.encodedLength());
        try {
            row.write(out);
            if (out.readableBytes() != row.encodedLength()) {
                throw new AssertionError(
                        "wrote " + out.readableBytes() + " bytes, encodedLength() said " + row.encodedLength());
            }
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
