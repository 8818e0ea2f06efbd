package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the protocol's basic data types on a {@link ByteBuf}; method names follow the spec's
 * type names (int&lt;n&gt;, int&lt;lenenc&gt;, string&lt;lenenc|fix|NUL|EOF&gt;). All integers are little-endian.
 * Strings are UTF-8 (the gateway negotiates utf8mb4). Reading past the end throws
 * {@link MalformedPacketException} naming the type being read; nothing is consumed in that case.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_integers.html">Integer Types</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_strings.html">String Types</a>
 */
public final class MySQLPayload {

    private static final int LENENC_NULL = 0xFB;
    private static final int LENENC_INT2 = 0xFC;
    private static final int LENENC_INT3 = 0xFD;
    private static final int LENENC_INT8 = 0xFE;

    private final ByteBuf byteBuf;

    public MySQLPayload(ByteBuf byteBuf) {
        if (byteBuf == null) {
            throw new IllegalArgumentException("byteBuf must not be null");
        }
        this.byteBuf = byteBuf;
    }

    public ByteBuf byteBuf() {
        return byteBuf;
    }

    public int readableBytes() {
        return byteBuf.readableBytes();
    }

    public boolean hasRemaining() {
        return byteBuf.isReadable();
    }

    /** The next byte (unsigned) without consuming it. */
    public int peekInt1() {
        require(1, "int<1>");
        return byteBuf.getUnsignedByte(byteBuf.readerIndex());
    }

    /** Reads the packet's first byte and refuses it unless it is {@code expected}. */
    public void readHeader(int expected, String packetName) {
        int actual = readInt1();
        if (actual != expected) {
            throw new MalformedPacketException(packetName + ": header 0x" + Integer.toHexString(expected)
                    + " expected, was 0x" + Integer.toHexString(actual));
        }
    }

    /** Reads a command packet's command byte and refuses any other command. */
    public void readCommand(CommandType command) {
        readHeader(command.code(), command.name());
    }

    public int readInt1() {
        require(1, "int<1>");
        return byteBuf.readUnsignedByte();
    }

    public int readInt2() {
        require(2, "int<2>");
        return byteBuf.readUnsignedShortLE();
    }

    public int readInt3() {
        require(3, "int<3>");
        return byteBuf.readUnsignedMediumLE();
    }

    /** int&lt;4&gt; as Java int (unsigned values above 2^31 come back negative, use {@code Integer.toUnsignedLong}). */
    public int readInt4() {
        require(4, "int<4>");
        return byteBuf.readIntLE();
    }

    public long readInt6() {
        require(6, "int<6>");
        long low = byteBuf.readUnsignedIntLE();
        long high = byteBuf.readUnsignedShortLE();
        return high << 32 | low;
    }

    public long readInt8() {
        require(8, "int<8>");
        return byteBuf.readLongLE();
    }

    /** int&lt;lenenc&gt;; 0xFB (NULL) and 0xFF (ERR) are not integers here and are refused. */
    public long readIntLenenc() {
        int first = peekInt1();
        int width = switch (first) {
            case LENENC_INT2 -> 3;
            case LENENC_INT3 -> 4;
            case LENENC_INT8 -> 9;
            case LENENC_NULL, 0xFF ->
                throw new MalformedPacketException(
                        "int<lenenc>: first byte 0x" + Integer.toHexString(first) + " does not start an integer");
            default -> 1;
        };
        require(width, "int<lenenc>");
        byteBuf.skipBytes(1);
        return switch (width) {
            case 3 -> byteBuf.readUnsignedShortLE();
            case 4 -> byteBuf.readUnsignedMediumLE();
            case 9 -> byteBuf.readLongLE();
            default -> first;
        };
    }

    public String readStringLenenc() {
        return new String(readStringLenencBytes(), StandardCharsets.UTF_8);
    }

    public byte[] readStringLenencBytes() {
        return readBytes(readLenencStringLength());
    }

    public String readStringFix(int length) {
        return new String(readStringFixBytes(length), StandardCharsets.UTF_8);
    }

    public byte[] readStringFixBytes(int length) {
        require(length, "string<fix>");
        return readBytes(length);
    }

    public String readStringNul() {
        return new String(readStringNulBytes(), StandardCharsets.UTF_8);
    }

    public byte[] readStringNulBytes() {
        int end = byteBuf.indexOf(byteBuf.readerIndex(), byteBuf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new MalformedPacketException(
                    "string<NUL>: no NUL terminator in the " + byteBuf.readableBytes() + " bytes left");
        }
        byte[] result = readBytes(end - byteBuf.readerIndex());
        byteBuf.skipBytes(1);
        return result;
    }

    public String readStringEof() {
        return new String(readStringEofBytes(), StandardCharsets.UTF_8);
    }

    public byte[] readStringEofBytes() {
        return readBytes(byteBuf.readableBytes());
    }

    /** Skips a string&lt;fix&gt; of {@code length} bytes without copying it. */
    public void skipStringFix(int length) {
        require(length, "string<fix>");
        byteBuf.skipBytes(length);
    }

    /** Skips a string&lt;lenenc&gt; without copying it. */
    public void skipStringLenenc() {
        byteBuf.skipBytes(readLenencStringLength());
    }

    /** Reads a string&lt;lenenc&gt;'s length prefix, checking the string is all there (else nothing is consumed). */
    public int readLenencStringLength() {
        int start = byteBuf.readerIndex();
        long length = readIntLenenc();
        int left = byteBuf.readableBytes();
        if (length < 0 || length > left) {
            byteBuf.readerIndex(start);
            throw new MalformedPacketException(
                    "string<lenenc>: length " + Long.toUnsignedString(length) + " exceeds the " + left + " bytes left");
        }
        return (int) length;
    }

    public void skipReserved(int length) {
        require(length, "reserved bytes");
        byteBuf.skipBytes(length);
    }

    public void writeInt1(int value) {
        byteBuf.writeByte(value);
    }

    public void writeInt2(int value) {
        byteBuf.writeShortLE(value);
    }

    public void writeInt3(int value) {
        byteBuf.writeMediumLE(value);
    }

    public void writeInt4(int value) {
        byteBuf.writeIntLE(value);
    }

    public void writeInt6(long value) {
        byteBuf.writeIntLE((int) value);
        byteBuf.writeShortLE((int) (value >>> 32));
    }

    public void writeInt8(long value) {
        byteBuf.writeLongLE(value);
    }

    /** Writes the shortest encoding; negative values are treated as unsigned 64-bit. */
    public void writeIntLenenc(long value) {
        if (value >= 0 && value < LENENC_NULL) {
            byteBuf.writeByte((int) value);
        } else if (value >= 0 && value < 1 << 16) {
            byteBuf.writeByte(LENENC_INT2);
            byteBuf.writeShortLE((int) value);
        } else if (value >= 0 && value < 1 << 24) {
            byteBuf.writeByte(LENENC_INT3);
            byteBuf.writeMediumLE((int) value);
        } else {
            byteBuf.writeByte(LENENC_INT8);
            byteBuf.writeLongLE(value);
        }
    }

    /**
     * Writes {@code value} as an int&lt;lenenc&gt; into {@code target} from {@code at} (as {@link #writeIntLenenc}
     * does into a buffer) and returns where it ended; {@code target} must have room for {@link #lenencIntLength}.
     */
    public static int putIntLenenc(byte[] target, int at, long value) {
        int width = lenencIntLength(value);
        if (width == 1) {
            target[at] = (byte) value;
            return at + 1;
        }
        target[at] = (byte) (width == 3 ? LENENC_INT2 : width == 4 ? LENENC_INT3 : LENENC_INT8);
        for (int i = 1; i < width; i++) {
            target[at + i] = (byte) (value >>> 8 * (i - 1));
        }
        return at + width;
    }

    /** How many bytes {@link #writeIntLenenc(long)} writes for {@code value}. */
    public static int lenencIntLength(long value) {
        if (value >= 0 && value < LENENC_NULL) {
            return 1;
        } else if (value >= 0 && value < 1 << 16) {
            return 3;
        }
        return value >= 0 && value < 1 << 24 ? 4 : 9;
    }

    public void writeStringLenenc(String value) {
        writeBytesLenenc(value.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBytesLenenc(byte[] value) {
        writeIntLenenc(value.length);
        byteBuf.writeBytes(value);
    }

    public void writeStringFix(String value) {
        byteBuf.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBytes(byte[] value) {
        byteBuf.writeBytes(value);
    }

    public void writeStringNul(String value) {
        writeBytesNul(value.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBytesNul(byte[] value) {
        byteBuf.writeBytes(value);
        byteBuf.writeByte(0);
    }

    public void writeStringEof(String value) {
        writeStringFix(value);
    }

    public void writeReserved(int length) {
        byteBuf.writeZero(length);
    }

    private byte[] readBytes(int length) {
        byte[] result = new byte[length];
        byteBuf.readBytes(result);
        return result;
    }

    private void require(int length, String what) {
        if (length < 0 || byteBuf.readableBytes() < length) {
            throw new MalformedPacketException(
                    what + ": needs " + length + " bytes, only " + byteBuf.readableBytes() + " left");
        }
    }
}
