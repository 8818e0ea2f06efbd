package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ServerStatusFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionStateRelayTest {

    private static final long BACKEND = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_SESSION_TRACK;
    private static final int CHANGED =
            ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT | ServerStatusFlags.SERVER_SESSION_STATE_CHANGED;

    private final Map<String, String> reported = new LinkedHashMap<>();
    private final List<String> untracked = new ArrayList<>();
    private final SessionStateRelay.Listener listener = new SessionStateRelay.Listener() {
        @Override
        public void reported(Map<String, String> systemVariables) {
            reported.putAll(systemVariables);
        }

        @Override
        public void untracked(String reason) {
            untracked.add(reason);
        }
    };

    /** type 0 entries, one per variable, then a schema entry (type 1), as MariaDB sends them. */
    private static byte[] state(String... namesAndValues) {
        ByteBuf entries = Unpooled.buffer();
        MySQLPayload out = new MySQLPayload(entries);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            ByteBuf pair = Unpooled.buffer();
            new MySQLPayload(pair).writeStringLenenc(namesAndValues[i]);
            new MySQLPayload(pair).writeStringLenenc(namesAndValues[i + 1]);
            out.writeInt1(0);
            byte[] data = new byte[pair.readableBytes()];
            pair.readBytes(data);
            out.writeBytesLenenc(data);
        }
        out.writeInt1(1);
        out.writeBytesLenenc(new byte[] {4, 's', 'h', 'o', 'p'});
        byte[] bytes = new byte[entries.readableBytes()];
        entries.readBytes(bytes);
        return bytes;
    }

    private static MySQLFrame ok(int status, byte[] state) {
        return MySQLFrame.fromPacket(
                new OkPacket(OkPacket.HEADER, 0, 0, status, 0, "", state), 1, ByteBufAllocator.DEFAULT);
    }

    private static OkPacket read(MySQLFrame frame, long capabilities) {
        return OkPacket.read(new MySQLPayload(frame.payload().duplicate()), capabilities);
    }

    @Test
    void reportsTheSystemVariablesAnOkPacketSaysChanged() {
        new SessionStateRelay(BACKEND, true, ByteBufAllocator.DEFAULT, listener)
                .relay(PacketRole.OK, ok(CHANGED, state("sql_mode", "ANSI_QUOTES", "character_set_client", "gbk")))
                .release();

        assertThat(reported)
                .containsExactly(Map.entry("sql_mode", "ANSI_QUOTES"), Map.entry("character_set_client", "gbk"));
    }

    @Test
    void passesTheStateOnUnchangedToAClientThatAskedForIt() {
        MySQLFrame frame = ok(CHANGED, state("sql_mode", ""));
        MySQLFrame relayed =
                new SessionStateRelay(BACKEND, true, ByteBufAllocator.DEFAULT, listener).relay(PacketRole.OK, frame);

        assertThat(relayed).isSameAs(frame);
        relayed.release();
    }

    @Test
    void stripsTheStateAndItsFlagForAClientThatDidNotAsk() {
        MySQLFrame relayed = new SessionStateRelay(BACKEND, false, ByteBufAllocator.DEFAULT, listener)
                .relay(PacketRole.OK, ok(CHANGED, state("sql_mode", "")));

        OkPacket ok = read(relayed, CapabilityFlags.CLIENT_PROTOCOL_41);
        assertThat(ok.statusFlags()).isEqualTo(ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT);
        assertThat(relayed.payload().readableBytes()).isEqualTo(7);
        assertThat(relayed.sequenceId()).isEqualTo(1);
        relayed.release();
    }

    @Test
    void leavesAnOkWithoutStateChangesAlone() {
        MySQLFrame frame = ok(ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT, new byte[0]);
        assertThat(new SessionStateRelay(BACKEND, false, ByteBufAllocator.DEFAULT, listener)
                        .relay(PacketRole.OK, frame))
                .isSameAs(frame);
        assertThat(reported).isEmpty();
        frame.release();
    }

    @Test
    void losesTrackOfTheSessionWhenAnEofPacketAnnouncesAStateChange() {
        ByteBuf eof = Unpooled.buffer().writeByte(0xFE).writeShortLE(0).writeShortLE(CHANGED);
        new SessionStateRelay(BACKEND, false, ByteBufAllocator.DEFAULT, listener)
                .relay(PacketRole.RESULTSET_END, MySQLFrame.of(3, eof))
                .release();

        assertThat(untracked).hasSize(1);
    }

    @Test
    void readsAnOkPacketOfAResultSetEndUnderDeprecateEof() {
        MySQLFrame frame = MySQLFrame.fromPacket(
                new OkPacket(OkPacket.EOF_HEADER, 0, 0, CHANGED, 0, "", state("sql_mode", "NO_BACKSLASH_ESCAPES")),
                4,
                ByteBufAllocator.DEFAULT);
        MySQLFrame relayed = new SessionStateRelay(BACKEND, false, ByteBufAllocator.DEFAULT, listener)
                .relay(PacketRole.RESULTSET_END, frame);

        assertThat(reported).containsEntry("sql_mode", "NO_BACKSLASH_ESCAPES");
        assertThat((int) relayed.payload().getUnsignedByte(0)).isEqualTo(0xFE);
        relayed.release();
    }
}
