package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows relayed a read at a time ({@link MySQLFrameRun}) change nothing the client gets: the same result relayed with
 * runs and frame by frame gives the client the same bytes, counts the same rows and bytes, and is cut at the same row.
 * The backend's bytes arrive cut anywhere, as TCP cuts them.
 */
class RowRunRelayTest {

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;
    private static final int ROWS = 5000;

    private final Relayed withRuns = new Relayed(true);
    private final Relayed frameByFrame = new Relayed(false);

    @AfterEach
    void releaseEverything() {
        withRuns.close();
        frameByFrame.close();
    }

    @ParameterizedTest
    @EnumSource(MySQLFrameRun.Rows.class)
    void aLargeResultReachesTheClientByteForByteWithItsRowsPassedOnAsRuns(MySQLFrameRun.Rows rows) {
        byte[] response = result(rows, ROWS, 1);

        withRuns.relay(response, rows, RowBudget.UNLIMITED, 7);

        assertThat(withRuns.received()).isEqualTo(response);
        assertThat(withRuns.complete).isTrue();
        assertThat(withRuns.runsTaken).isPositive();
        assertThat(withRuns.command.rows).isEqualTo(ROWS);
        assertThat(withRuns.command.bytes).isEqualTo(response.length);
    }

    @ParameterizedTest
    @EnumSource(MySQLFrameRun.Rows.class)
    void aResultOverMaxRowsIsCutAtTheSameRowWithRunsAsFrameByFrame(MySQLFrameRun.Rows rows) {
        byte[] response = result(rows, ROWS, 2);

        withRuns.relay(response, rows, new RowBudget(1234), 8);
        frameByFrame.relay(response, rows, new RowBudget(1234), 8);

        byte[] cut = withRuns.received();
        assertThat(cut).isEqualTo(frameByFrame.received());
        assertThat(cut.length).isLessThan(response.length);
        assertThat(withRuns.runsTaken).isPositive();
        assertThat(withRuns.command.rows).isEqualTo(frameByFrame.command.rows).isEqualTo(1234);
    }

    @Test
    void aResultCutAtTheNextPacketIsCutThereWithRunsAsFrameByFrame() {
        byte[] response = result(MySQLFrameRun.Rows.TEXT, ROWS, 3);
        withRuns.cutAfterBytes = frameByFrame.cutAfterBytes = response.length / 2;

        withRuns.relay(response, MySQLFrameRun.Rows.TEXT, RowBudget.UNLIMITED, 9);
        frameByFrame.relay(response, MySQLFrameRun.Rows.TEXT, RowBudget.UNLIMITED, 9);

        assertThat(withRuns.received()).isEqualTo(frameByFrame.received());
        assertThat(withRuns.command.rows).isEqualTo(frameByFrame.command.rows).isLessThan(ROWS);
    }

    /**
     * A result set as MariaDB frames it under CLIENT_DEPRECATE_EOF: column count 1, a definition, {@code rows} rows of
     * 1 to ~3,000 bytes (text: a length-encoded value; binary: header 0x00, NULL bitmap, value), the 0xFE OK.
     */
    private static byte[] result(MySQLFrameRun.Rows kind, int rows, long seed) {
        Random random = new Random(seed);
        ByteBuf wire = Unpooled.buffer();
        int sequenceId = 1;
        packet(wire, sequenceId++, new byte[] {1});
        packet(wire, sequenceId++, new byte[40]);
        for (int row = 0; row < rows; row++) {
            int length = random.nextInt(10) == 0 ? 251 + random.nextInt(3000) : random.nextInt(200);
            ByteBuf value = Unpooled.buffer();
            if (kind == MySQLFrameRun.Rows.BINARY) {
                value.writeByte(0).writeByte(0);
            }
            new MySQLPayload(value).writeBytesLenenc(randomLetters(random, length));
            packet(wire, sequenceId++, ByteBufUtil.getBytes(value));
            value.release();
        }
        packet(wire, sequenceId, new byte[] {(byte) 0xFE, 0, 0, 0x22, 0, 0, 0});
        byte[] bytes = ByteBufUtil.getBytes(wire);
        wire.release();
        return bytes;
    }

    private static byte[] randomLetters(Random random, int length) {
        byte[] letters = new byte[length];
        for (int i = 0; i < length; i++) {
            letters[i] = (byte) ('a' + random.nextInt(26));
        }
        return letters;
    }

    private static void packet(ByteBuf wire, int sequenceId, byte[] payload) {
        wire.writeMediumLE(payload.length).writeByte(sequenceId & 0xFF).writeBytes(payload);
    }

    /** One session's relay of one command's response, its backend's bytes fed in reads cut at random. */
    private static final class Relayed {
        private final boolean takeRuns;
        private final EmbeddedChannel client = new EmbeddedChannel();
        private final EmbeddedChannel backend = new EmbeddedChannel();
        private final ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
        private final MaskingSession masking =
                new MaskingSession(new PreparedStatements(), ByteBufAllocator.DEFAULT, client::write);
        private final ResponseCut cut = new ResponseCut(connection, masking, () -> {});
        private final ResponseRelay relay = new ResponseRelay(connection, new PreparedStatements(), masking, cut, null);
        private final SessionEventEmitter events = new SessionEventEmitter(SessionEvents.NONE, "gw-1");
        private CommandInFlight command;
        private boolean complete;
        private int runsTaken;
        /** Where a statement timeout asks for the cut at the next packet; -1: never. */
        private int cutAfterBytes = -1;

        Relayed(boolean takeRuns) {
            this.takeRuns = takeRuns;
            ClientWriteBatcher batcher = new ClientWriteBatcher();
            client.pipeline().addLast(new MySQLFrameEncoder(), batcher);
            backend.pipeline().addLast(new MySQLFrameDecoder(1 << 24), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof MySQLFrameRun run) {
                        if (takeRuns && relay.relay(run)) {
                            runsTaken++;
                        } else {
                            run.forEachFrame(frame -> complete |= relay.relay(frame));
                        }
                    } else {
                        complete |= relay.relay((MySQLFrame) msg);
                    }
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    relay.onReadComplete();
                }
            });
            connection.attachBackend(backend);
            connection.writer().tapTo(events);
            connection.writer().batchThrough(batcher);
        }

        void relay(byte[] response, MySQLFrameRun.Rows rows, RowBudget budget, long seed) {
            CommandType type = rows == MySQLFrameRun.Rows.BINARY ? CommandType.COM_STMT_EXECUTE : CommandType.COM_QUERY;
            command = events.received(type, "SELECT v FROM t", List.of());
            cut.begin(budget);
            relay.expect(new CommandResponseTracker(type, CAPABILITIES), command);
            Random random = new Random(seed);
            for (int offset = 0; offset < response.length; ) {
                if (cutAfterBytes >= 0 && offset >= cutAfterBytes) {
                    cut.cutAtNextPacket(ResponseCut.maxRowsReached(1));
                }
                int length = Math.min(response.length - offset, 1 + random.nextInt(30_000));
                backend.writeInbound(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(length)
                        .put(response, offset, length)
                        .flip()));
                offset += length;
            }
        }

        byte[] received() {
            client.flush();
            return ClientWrites.bytesOf(ClientWrites.written(client));
        }

        void close() {
            client.finishAndReleaseAll();
            backend.finishAndReleaseAll();
        }
    }
}
