package dev.agentgate.protocol;

import static dev.agentgate.protocol.CapabilityFlags.CLIENT_CONNECT_ATTRS;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_CONNECT_WITH_DB;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_PLUGIN_AUTH;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_PROTOCOL_41;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_SECURE_CONNECTION;
import static dev.agentgate.protocol.CapabilityFlags.CLIENT_SSL;
import static dev.agentgate.protocol.PacketTestSupport.bytesOf;
import static dev.agentgate.protocol.PacketTestSupport.readHex;
import static dev.agentgate.protocol.PacketTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionPhasePacketsTest {

    private static final byte[] SEED = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
    private static final long SERVER_FLAGS = 0xC3FF_F7FFL | CLIENT_PLUGIN_AUTH;

    private static HandshakeV10Packet greeting(long flags) {
        return new HandshakeV10Packet(10, "8.0.40-agentgate", 42, SEED, flags, 255, 2, "caching_sha2_password", 0);
    }

    @Test
    void readsAMySqlGreetingWithTheScrambleSplitIntoItsTwoParts() {
        // MySQL 8 greeting: part 1 "abcdefgh", auth data length 21, part 2 "ijklmnopqrst" + NUL
        String hex = "0a 382e302e343000 2a000000 6162636465666768 00 fff7 ff 0200 ffc3 15 000000000000 00000000"
                + " 696a6b6c6d6e6f7071727374 00 63616368696e675f736861325f70617373776f726400";

        HandshakeV10Packet packet = readHex(hex, HandshakeV10Packet::read);

        assertThat(packet.serverVersion()).isEqualTo("8.0.40");
        assertThat(packet.connectionId()).isEqualTo(42);
        assertThat(packet.authPluginData()).isEqualTo(SEED);
        assertThat(packet.capabilityFlags()).isEqualTo(0xC3FF_F7FFL);
        assertThat(packet.characterSet()).isEqualTo(255);
        assertThat(packet.statusFlags()).isEqualTo(ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT);
        assertThat(packet.authPluginName()).isEqualTo("caching_sha2_password");
    }

    @Test
    void roundTripsAGreeting() {
        HandshakeV10Packet read = roundTrip(greeting(SERVER_FLAGS), HandshakeV10Packet::read);

        assertThat(read).usingRecursiveComparison().isEqualTo(greeting(SERVER_FLAGS));
    }

    @Test
    void keepsMariaDbExtendedCapabilitiesFromTheReservedBytes() {
        HandshakeV10Packet mariaDb = new HandshakeV10Packet(
                10,
                "5.5.5-10.11.6-MariaDB",
                7,
                SEED,
                SERVER_FLAGS & ~CapabilityFlags.CLIENT_LONG_PASSWORD,
                45,
                2,
                "mysql_native_password",
                0x1D);

        assertThat(roundTrip(mariaDb, HandshakeV10Packet::read).mariaDbExtendedCapabilities())
                .isEqualTo(0x1D);
    }

    @Test
    void writesThe13BytePart2WhenPluginAuthIsNotAnnounced() {
        HandshakeV10Packet noPluginAuth = greeting(CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION);

        HandshakeV10Packet read = roundTrip(noPluginAuth, HandshakeV10Packet::read);

        assertThat(read.authPluginData()).isEqualTo(SEED);
        assertThat(read.authPluginName()).isEmpty();
    }

    @Test
    void refusesAGreetingOfAnotherProtocolVersion() {
        assertThatThrownBy(() -> readHex("09 00", HandshakeV10Packet::read))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("HandshakeV10 protocol version: header 0xa expected, was 0x9");
    }

    private static HandshakeResponse41Packet response(long flags, byte[] authResponse) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("_client_name", "libmysql");
        attributes.put("program_name", "mysql");
        attributes.put("_os", "Linux");
        return new HandshakeResponse41Packet(
                flags, 16_777_216, 255, "appdb", authResponse, "shop", "caching_sha2_password", attributes);
    }

    @Test
    void roundTripsAHandshakeResponseWithEveryOptionalField() {
        long flags = CLIENT_PROTOCOL_41
                | CLIENT_SECURE_CONNECTION
                | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
                | CLIENT_CONNECT_WITH_DB
                | CLIENT_PLUGIN_AUTH
                | CLIENT_CONNECT_ATTRS;
        HandshakeResponse41Packet written = response(flags, new byte[300]);

        HandshakeResponse41Packet read = roundTrip(written, HandshakeResponse41Packet::read);

        assertThat(read).usingRecursiveComparison().isEqualTo(written);
        assertThat(read.connectAttributes().keySet()).containsExactly("_client_name", "program_name", "_os");
    }

    @Test
    void readsALengthPrefixedAuthResponseUnderSecureConnection() {
        long flags = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;

        HandshakeResponse41Packet read = roundTrip(response(flags, SEED), HandshakeResponse41Packet::read);

        assertThat(read.authResponse()).isEqualTo(SEED);
        assertThat(read.database()).as("CONNECT_WITH_DB not set").isEmpty();
        assertThat(read.connectAttributes()).isEmpty();
        assertThat(read.authPluginName()).isEqualTo("caching_sha2_password");
    }

    @Test
    void readsANulTerminatedAuthResponseWithoutSecureConnection() {
        HandshakeResponse41Packet read =
                roundTrip(response(CLIENT_PROTOCOL_41, "secret".getBytes()), HandshakeResponse41Packet::read);

        assertThat(read.authResponse()).asString().isEqualTo("secret");
        assertThat(read.authPluginName()).isEmpty();
    }

    @Test
    void refusesAHandshakeResponseWithoutProtocol41() {
        byte[] bytes = bytesOf(new SslRequestPacket(CLIENT_SECURE_CONNECTION, 0, 33));
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);

        assertThatThrownBy(() -> HandshakeResponse41Packet.read(new MySQLPayload(buffer)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("CLIENT_PROTOCOL_41");
        buffer.release();
    }

    @Test
    void writesA32ByteSslRequestThatIsRecognisedAsSuch() {
        SslRequestPacket request = new SslRequestPacket(CLIENT_PROTOCOL_41 | CLIENT_SSL, 1 << 24, 255);
        ByteBuf buffer = Unpooled.wrappedBuffer(bytesOf(request));

        assertThat(buffer.readableBytes()).isEqualTo(SslRequestPacket.LENGTH);
        assertThat(SslRequestPacket.isSslRequest(new MySQLPayload(buffer))).isTrue();
        assertThat(SslRequestPacket.read(new MySQLPayload(buffer))).isEqualTo(request);
        buffer.release();
    }

    @Test
    void carriesAMariaDbClientsExtendedCapabilitiesInTheFillersLast4Bytes() {
        long flags = CLIENT_PROTOCOL_41 | CLIENT_SSL | CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA;
        byte[] bytes = bytesOf(new SslRequestPacket(flags, 1 << 24, 45));

        assertThat(bytes).hasSize(SslRequestPacket.LENGTH);
        assertThat(Arrays.copyOfRange(bytes, 28, 32)).containsExactly(8, 0, 0, 0);
        assertThat(SslRequestPacket.read(new MySQLPayload(Unpooled.wrappedBuffer(bytes)))
                        .capabilityFlags())
                .isEqualTo(flags);
    }

    @Test
    void ignoresTheFillerOfAClientThatSaysCLIENT_MYSQL() {
        byte[] bytes = bytesOf(new SslRequestPacket(CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_MYSQL, 1 << 24, 45));
        bytes[28] = 8;

        assertThat(SslRequestPacket.read(new MySQLPayload(Unpooled.wrappedBuffer(bytes)))
                        .capabilityFlags())
                .isEqualTo(CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_MYSQL);
    }

    @Test
    void doesNotMistakeAFullHandshakeResponseForAnSslRequest() {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytesOf(response(CLIENT_PROTOCOL_41 | CLIENT_SSL, SEED)));

        assertThat(SslRequestPacket.isSslRequest(new MySQLPayload(buffer))).isFalse();
        buffer.release();
    }

    @Test
    void roundTripsAnAuthSwitchRequestAndStripsTheSeedTerminator() {
        byte[] data = java.util.Arrays.copyOf(SEED, 21);
        AuthSwitchRequestPacket read =
                roundTrip(new AuthSwitchRequestPacket("mysql_native_password", data), AuthSwitchRequestPacket::read);

        assertThat(read.pluginName()).isEqualTo("mysql_native_password");
        assertThat(read.pluginData()).isEqualTo(data);
        assertThat(read.seed()).isEqualTo(SEED);
    }

    @Test
    void recognisesCachingSha2FastAuthSuccessInAuthMoreData() {
        AuthMoreDataPacket read = readHex("01 03", AuthMoreDataPacket::read);

        assertThat(read.isStatus(AuthMoreDataPacket.FAST_AUTH_SUCCESS)).isTrue();
        assertThat(read.isStatus(AuthMoreDataPacket.PERFORM_FULL_AUTHENTICATION))
                .isFalse();
        assertThat(roundTrip(read, AuthMoreDataPacket::read).data()).containsExactly(3);
    }
}
