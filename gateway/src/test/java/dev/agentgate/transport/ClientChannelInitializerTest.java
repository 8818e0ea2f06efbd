package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.ListenConfig;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each accepted connection gets before it has logged in: the packet limit and the handshake budget. */
class ClientChannelInitializerTest {

    private static final GatewayContext.Greeting GREETING =
            new GatewayContext.Greeting("10.11.0-MariaDB-agentgate", 45);

    @TempDir
    Path dir;

    private ConnectionPhaseGateway gateway;
    private ClientChannelInitializer initializer;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        gateway.close();
    }

    private EmbeddedChannel connect(ListenConfig listen) throws Exception {
        if (gateway == null) {
            gateway = ConnectionPhaseGateway.create(dir, GREETING, listen);
            initializer = new ClientChannelInitializer(gateway.context());
        }
        EmbeddedChannel channel = new EmbeddedChannel(initializer);
        channels.add(channel);
        return channel;
    }

    private static ByteBuf written(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf part = (ByteBuf) out;
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    /** The packet after the greeting, read as an error. */
    private static ErrPacket errorAfterGreeting(EmbeddedChannel channel) {
        ByteBuf bytes = written(channel);
        bytes.skipBytes(4 + bytes.getUnsignedMediumLE(0));
        bytes.skipBytes(4);
        return ErrPacket.read(new MySQLPayload(bytes));
    }

    private static ErrPacket onlyPacketAsError(EmbeddedChannel channel) {
        ByteBuf bytes = written(channel);
        bytes.skipBytes(4);
        return ErrPacket.read(new MySQLPayload(bytes));
    }

    @Test
    void refusesAPacketLargerThanALoginNeedsFromItsHeaderWithAGenericError() throws Exception {
        EmbeddedChannel channel = connect(ListenConfig.defaults());
        // A 64 MiB "password": the first chunk header announces 16 MiB - 1 bytes; only a few of them are sent.
        channel.writeInbound(
                Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 'x', 'x', 'x', 'x'}));

        ErrPacket error = errorAfterGreeting(channel);
        assertThat(error.errorCode()).isEqualTo(1153);
        assertThat(error.message()).isEqualTo("Got a packet bigger than a login needs");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void waitsForALoginPacketThatCarriesTheLongestAcceptedToken() throws Exception {
        EmbeddedChannel channel = connect(ListenConfig.defaults());
        int length = ClientChannelInitializer.MAX_CONNECTION_PHASE_PACKET;
        channel.writeInbound(Unpooled.wrappedBuffer(
                new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), 1, 'x'}));

        written(channel).release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void refusesAConnectionWhenItsAddressHasTooManyLoginsInProgress() throws Exception {
        ListenConfig twoPerAddress = ListenConfig.defaults().withHandshakeLimits(10, 2);
        EmbeddedChannel first = connect(twoPerAddress);
        EmbeddedChannel second = connect(twoPerAddress);
        EmbeddedChannel third = connect(twoPerAddress);

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        ErrPacket error = onlyPacketAsError(third);
        assertThat(error.errorCode()).isEqualTo(1040);
        assertThat(third.isOpen()).isFalse();
        assertThat(gateway.context().counters().connectionsRefusedAtHandshakeLimit())
                .isEqualTo(1);
        assertThat(gateway.context().counters().connectionsRefusedAtMax()).isZero();
    }

    @Test
    void givesTheHandshakeSlotBackWhenAConnectionInTheConnectionPhaseCloses() throws Exception {
        ListenConfig onePerAddress = ListenConfig.defaults().withHandshakeLimits(10, 1);
        EmbeddedChannel first = connect(onePerAddress);
        first.close();
        EmbeddedChannel second = connect(onePerAddress);

        assertThat(second.isOpen()).isTrue();
    }
}
