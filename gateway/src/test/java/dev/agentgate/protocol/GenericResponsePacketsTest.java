package dev.agentgate.protocol;

import static dev.agentgate.protocol.CapabilityFlags.CLIENT_PROTOCOL_41;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_SESSION_TRACK;
import static dev.agentgate.protocol.PacketTestSupport.bytesOf;
import static dev.agentgate.protocol.PacketTestSupport.readHex;
import static dev.agentgate.protocol.PacketTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenericResponsePacketsTest {

    @Test
    void writesTheShortestOkPacket() {
        assertThat(bytesOf(OkPacket.of(0, 0, ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, 0)))
                .containsExactly(0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00);
    }

    @Test
    void roundTripsAnOkPacketWithLargeCountsAndInfo() {
        OkPacket ok = new OkPacket(OkPacket.HEADER, 70_000, 1L << 40, 0x0003, 2, "Rows matched: 1", new byte[0]);

        assertThat(roundTrip(ok, p -> OkPacket.read(p, CLIENT_PROTOCOL_41)))
                .usingRecursiveComparison()
                .isEqualTo(ok);
    }

    @Test
    void keepsSessionStateChangesAsRawBytes() {
        byte[] state = {0x01, 0x05, 0x04, 's', 'h', 'o', 'p'};
        OkPacket ok = new OkPacket(OkPacket.HEADER, 0, 0, ServerStatusFlags.SERVER_SESSION_STATE_CHANGED, 0, "", state);

        OkPacket read = roundTrip(ok, p -> OkPacket.read(p, CLIENT_PROTOCOL_41 | CLIENT_SESSION_TRACK));

        assertThat(read.sessionStateInfo()).isEqualTo(state);
    }

    @Test
    void readsAnOkPacketWithTheEofHeaderThatEndsAResultSet() {
        OkPacket read = readHex("fe 00 00 2200 0000", p -> OkPacket.read(p, CLIENT_PROTOCOL_41));

        assertThat(read.header()).isEqualTo(OkPacket.EOF_HEADER);
        assertThat(read.statusFlags()).isEqualTo(0x22);
    }

    @Test
    void refusesAnOkPacketWithAnotherHeader() {
        assertThatThrownBy(() -> readHex("ff 00", p -> OkPacket.read(p, CLIENT_PROTOCOL_41)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("0xff");
    }

    @Test
    void roundTripsAnEofPacket() {
        EofPacket eof = new EofPacket(1, ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS);

        assertThat(bytesOf(eof)).hasSizeLessThan(EofPacket.MAX_LENGTH_EXCLUSIVE);
        assertThat(roundTrip(eof, EofPacket::read)).isEqualTo(eof);
    }

    @Test
    void writesAnErrPacketWithTheSqlStateMarker() {
        ErrPacket err = ErrPacket.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, "bob", "10.0.0.1", "YES");

        assertThat(new String(bytesOf(err), 3, 6)).isEqualTo("#28000");
        assertThat(roundTrip(err, ErrPacket::read))
                .isEqualTo(
                        new ErrPacket(1045, "28000", "Access denied for user 'bob'@'10.0.0.1' (using password: YES)"));
    }

    @Test
    void readsAnErrPacketWithoutSqlStateMarkerAsGeneralError() {
        ErrPacket read = readHex("ff 1004 546f6f", ErrPacket::read);

        assertThat(read).isEqualTo(new ErrPacket(1040, "HY000", "Too"));
    }

    @Test
    void refusesAnErrPacketWithAMalformedSqlState() {
        assertThatThrownBy(() -> new ErrPacket(1, "42", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sqlState must have 5 characters, was '42'");
    }
}
