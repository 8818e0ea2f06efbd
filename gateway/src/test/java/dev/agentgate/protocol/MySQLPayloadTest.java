package dev.agentgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MySQLPayloadTest {

    private final ByteBuf buffer = Unpooled.buffer();
    private final MySQLPayload payload = new MySQLPayload(buffer);

    @AfterEach
    void releaseBuffer() {
        buffer.release();
    }

    private <T> T roundTrip(Consumer<MySQLPayload> writer, Function<MySQLPayload, T> reader) {
        writer.accept(payload);
        T value = reader.apply(payload);
        assertThat(buffer.isReadable()).as("bytes left after reading back").isFalse();
        return value;
    }

    @Test
    void roundTripsFixedLengthIntegersAtTheirUnsignedMaximum() {
        assertThat(roundTrip(p -> p.writeInt1(0xFF), MySQLPayload::readInt1)).isEqualTo(0xFF);
        assertThat(roundTrip(p -> p.writeInt2(0xFFFF), MySQLPayload::readInt2)).isEqualTo(0xFFFF);
        assertThat(roundTrip(p -> p.writeInt3(0xFFFFFF), MySQLPayload::readInt3))
                .isEqualTo(0xFFFFFF);
        assertThat(roundTrip(p -> p.writeInt4(0xFFFFFFFF), MySQLPayload::readInt4))
                .isEqualTo(-1);
        assertThat(roundTrip(p -> p.writeInt6(0xFFFF_FFFF_FFFFL), MySQLPayload::readInt6))
                .isEqualTo(0xFFFF_FFFF_FFFFL);
        assertThat(roundTrip(p -> p.writeInt8(-2L), MySQLPayload::readInt8)).isEqualTo(-2L);
    }

    @Test
    void writesIntegersLittleEndian() {
        payload.writeInt4(0x01020304);
        payload.writeInt6(0x0A0B0C0D0E0FL);

        assertThat(ByteBufUtil.hexDump(buffer)).isEqualTo("040302010f0e0d0c0b0a");
        buffer.skipBytes(buffer.readableBytes());
    }

    @ParameterizedTest(name = "{0} takes {1} bytes")
    @CsvSource({"0,1", "250,1", "251,3", "65535,3", "65536,4", "16777215,4", "16777216,9", "-1,9"})
    void roundTripsLengthEncodedIntegersAtEveryWidthBoundary(long value, int encodedLength) {
        payload.writeIntLenenc(value);
        assertThat(buffer.readableBytes()).isEqualTo(encodedLength);

        assertThat(payload.readIntLenenc()).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0} put into an array as written into a buffer")
    @CsvSource({"0", "250", "251", "65535", "65536", "16777215", "16777216", "-1", "9223372036854775807"})
    void putsLengthEncodedIntegersIntoAnArrayAsTheyAreWrittenIntoABuffer(long value) {
        payload.writeIntLenenc(value);
        byte[] target = new byte[12];

        int end = MySQLPayload.putIntLenenc(target, 2, value);

        assertThat(end - 2).isEqualTo(buffer.readableBytes());
        assertThat(ByteBufUtil.hexDump(target, 2, end - 2)).isEqualTo(ByteBufUtil.hexDump(buffer));
        buffer.skipBytes(buffer.readableBytes());
    }

    @Test
    void refusesTheNullMarkerAsALengthEncodedInteger() {
        payload.writeInt1(0xFB);

        assertThatThrownBy(payload::readIntLenenc)
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("int<lenenc>")
                .hasMessageContaining("0xfb");
        buffer.skipBytes(1);
    }

    @Test
    void roundTripsEveryStringKind() {
        assertThat(roundTrip(p -> p.writeStringLenenc("héllo"), MySQLPayload::readStringLenenc))
                .isEqualTo("héllo");
        assertThat(roundTrip(p -> p.writeBytesLenenc(new byte[300]), MySQLPayload::readStringLenencBytes))
                .hasSize(300);
        assertThat(this.<String>roundTrip(p -> p.writeStringFix("abcd"), p -> p.readStringFix(4)))
                .isEqualTo("abcd");
        assertThat(roundTrip(p -> p.writeStringNul("root"), MySQLPayload::readStringNul))
                .isEqualTo("root");
        assertThat(roundTrip(p -> p.writeStringEof("rest"), MySQLPayload::readStringEof))
                .isEqualTo("rest");
        assertThat(this.<Integer>roundTrip(p -> p.writeReserved(10), p -> {
                    p.skipReserved(10);
                    return p.readableBytes();
                }))
                .isZero();
    }

    @Test
    void namesTheTypeWhenReadingPastTheEnd() {
        payload.writeInt2(1);

        assertThatThrownBy(payload::readInt4)
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("int<4>: needs 4 bytes, only 2 left");
        assertThat(buffer.readableBytes()).as("nothing consumed").isEqualTo(2);
        buffer.skipBytes(2);
    }

    @Test
    void rejectsALengthEncodedStringLongerThanThePacketWithoutConsumingIt() {
        payload.writeIntLenenc(10);
        payload.writeStringFix("abc");

        assertThatThrownBy(payload::readStringLenenc)
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("string<lenenc>: length 10");
        assertThat(buffer.readableBytes()).isEqualTo(4);
        buffer.skipBytes(4);
    }

    @Test
    void rejectsANulStringWithoutTerminator() {
        payload.writeStringFix("abc");

        assertThatThrownBy(payload::readStringNul)
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("string<NUL>");
        buffer.skipBytes(3);
    }
}
