package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.EofPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay of backend responses to the client under backpressure: the backend's bytes arrive in fragments and are
 * delivered only while the backend channel reads (auto-read), as a socket would; the client either takes every
 * flush at once (as a plain TCP socket with room in its send buffer does) or holds it until the test drains it.
 * The client's pipeline batches small frames ({@link ClientWriteBatcher}) as the gateway's does.
 */
class ResponseRelayTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41;
    /** About 128 KB of column definitions: several batches of the client's write batcher (16 KiB each). */
    private static final int COLUMNS = 4000;
    /** More than the client's high water mark, and not on a packet boundary: one backend read fills the client. */
    private static final int FRAGMENT = 3001;

    private final SlowClient slowClient = new SlowClient();
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel backend = new EmbeddedChannel();
    private final ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
    private final PreparedStatements prepared = new PreparedStatements();
    private final MaskingSession masking = new MaskingSession(prepared, ByteBufAllocator.DEFAULT, client::write);
    private final ResponseRelay relay =
            new ResponseRelay(connection, prepared, masking, new ResponseCut(connection, masking, () -> {}), null);
    private boolean complete;

    ResponseRelayTest() {
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        client.pipeline()
                .addLast(
                        slowClient,
                        new MySQLFrameEncoder(),
                        new ClientWriteBatcher(),
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                relay.onClientWritabilityChanged();
                            }
                        });
        backend.pipeline().addLast(new MySQLFrameDecoder(1 << 24), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                complete |= relay.relay((MySQLFrame) msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                relay.onReadComplete();
            }
        });
        connection.attachBackend(backend);
    }

    @AfterEach
    void releaseEverything() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
    }

    @Test
    void relaysAPrepareResponseOfFourThousandColumnsToAClientThatTakesEachFlushAtOnce() {
        byte[] response = prepareResponse();
        relay.expect(new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CAPABILITIES));

        deliver(response);

        assertThat(complete).isTrue();
        assertThat(receivedByClient()).isEqualTo(response);
    }

    @Test
    void pausesTheBackendWhileASlowClientIsFullAndResumesItWhenTheClientDrains() {
        byte[] response = prepareResponse();
        relay.expect(new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CAPABILITIES));
        slowClient.holding = true;
        int pauses = 0;
        int offset = 0;
        while (offset < response.length) {
            if (!backend.config().isAutoRead()) {
                assertThat(client.isWritable())
                        .as("the backend is paused only while the client is full")
                        .isFalse();
                pauses++;
                slowClient.drain();
                continue;
            }
            offset = deliverFragment(response, offset);
        }
        slowClient.drain();

        assertThat(pauses).isGreaterThan(5);
        assertThat(complete).isTrue();
        assertThat(receivedByClient()).isEqualTo(response);
    }

    @Test
    void passesAnUnsolicitedBackendErrorOnAndClosesTheSession() {
        ErrPacket timeout =
                new ErrPacket(4031, "HY000", "The client was disconnected by the server because of inactivity.");

        backend.writeInbound(Unpooled.wrappedBuffer(frameBytes(timeout, 0)));

        assertThat(receivedByClient()).isEqualTo(frameBytes(timeout, 0));
        assertThat(client.isOpen()).isFalse();
        assertThat(backend.isOpen()).isFalse();
    }

    @Test
    void dropsAnUnsolicitedBackendPacketThatIsNoErrorAndClosesTheSessionWithAnError() {
        backend.writeInbound(Unpooled.wrappedBuffer(frameBytes(OkPacket.of(1, 0, 2, 0), 1)));

        byte[] received = receivedByClient();
        ErrPacket error = ErrPacket.read(new MySQLPayload(Unpooled.wrappedBuffer(received, 4, received.length - 4)));
        assertThat(error.errorCode()).isEqualTo(Errors.MALFORMED_PACKET);
        assertThat(error.message()).contains("outside any command");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void dropsWhatTheBackendSendsAfterAnUnsolicitedError() {
        ErrPacket killed = new ErrPacket(1927, "70100", "Connection was killed");
        byte[] error = frameBytes(killed, 0);
        byte[] row = frameBytes(new OkPacket(OkPacket.HEADER, 0, 0, 2, 0, "ssn 078-05-1120", new byte[0]), 1);
        byte[] both = new byte[error.length + row.length];
        System.arraycopy(error, 0, both, 0, error.length);
        System.arraycopy(row, 0, both, error.length, row.length);

        backend.writeInbound(Unpooled.wrappedBuffer(both));

        assertThat(receivedByClient()).isEqualTo(error);
    }

    /** Feeds the response as the backend's socket would: only while the backend channel reads. */
    private void deliver(byte[] response) {
        int offset = 0;
        while (offset < response.length) {
            assertThat(backend.config().isAutoRead())
                    .as(
                            "backend read at byte %d of %d while the client is %s",
                            offset, response.length, client.isWritable() ? "writable" : "full")
                    .isTrue();
            offset = deliverFragment(response, offset);
        }
    }

    private int deliverFragment(byte[] response, int offset) {
        int length = Math.min(FRAGMENT, response.length - offset);
        backend.writeInbound(Unpooled.wrappedBuffer(response, offset, length));
        return offset + length;
    }

    private byte[] receivedByClient() {
        ByteBuf all = Unpooled.buffer();
        for (Object written = client.readOutbound(); written != null; written = client.readOutbound()) {
            ByteBuf bytes = (ByteBuf) written;
            all.writeBytes(bytes);
            bytes.release();
        }
        byte[] result = new byte[all.readableBytes()];
        all.readBytes(result);
        return result;
    }

    /** COM_STMT_PREPARE_OK for a statement of {@value #COLUMNS} columns and no parameters, as MariaDB frames it. */
    private static byte[] prepareResponse() {
        List<MySQLPacket> packets = new ArrayList<>();
        packets.add(new ComStmtPrepareOkPacket(1, COLUMNS, 0, 0));
        for (int i = 1; i <= COLUMNS; i++) {
            packets.add(new ColumnDefinition41Packet(
                    ColumnDefinition41Packet.DEFAULT_CATALOG,
                    "",
                    "",
                    "",
                    "c" + i,
                    "",
                    63,
                    1,
                    ColumnType.MYSQL_TYPE_LONGLONG.code(),
                    0x81,
                    0,
                    null));
        }
        packets.add(new EofPacket(0, 2));
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < packets.size(); i++) {
            all.writeBytes(frameBytes(packets.get(i), (i + 1) & 0xFF));
        }
        byte[] result = new byte[all.readableBytes()];
        all.readBytes(result);
        return result;
    }

    private static byte[] frameBytes(MySQLPacket packet, int sequenceId) {
        EmbeddedChannel encoder = new EmbeddedChannel(new MySQLFrameEncoder());
        encoder.writeOutbound(MySQLFrame.fromPacket(packet, sequenceId, ByteBufAllocator.DEFAULT));
        ByteBuf all = Unpooled.buffer();
        for (Object written = encoder.readOutbound(); written != null; written = encoder.readOutbound()) {
            ByteBuf bytes = (ByteBuf) written;
            all.writeBytes(bytes);
            bytes.release();
        }
        byte[] result = new byte[all.readableBytes()];
        all.readBytes(result);
        return result;
    }

    /** A client that does not read: flushes stay in its outbound buffer until {@link #drain()}. */
    private static final class SlowClient extends ChannelDuplexHandler {
        private boolean holding;
        private ChannelHandlerContext context;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            }
        }

        void drain() {
            context.flush();
        }
    }
}
