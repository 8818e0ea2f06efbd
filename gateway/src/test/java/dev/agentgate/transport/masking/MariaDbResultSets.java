package dev.agentgate.transport.masking;

import static dev.agentgate.protocol.CapabilityFlags.*;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.transport.backend.BackendConnectRequest;
import dev.agentgate.transport.backend.BackendConnection;
import dev.agentgate.transport.backend.BackendConnector;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real result sets from a private MariaDB, captured as the gateway sees them: column definitions and row payloads
 * of the text protocol (COM_QUERY) and the binary protocol (COM_STMT_PREPARE + COM_STMT_EXECUTE).
 */
final class MariaDbResultSets implements AutoCloseable {

    record ResultSet(List<ColumnDefinition41Packet> columns, List<byte[]> rows) {}

    /** One logical packet as it came from the backend. */
    record Packet(int sequenceId, int chunkCount, byte[] payload) {}

    private static final String PASSWORD = "masking-Pw1";
    static final long CLIENT_FLAGS = CLIENT_LONG_PASSWORD
            | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_RESULTS
            | CLIENT_PS_MULTI_RESULTS
            | CLIENT_PLUGIN_AUTH
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CLIENT_DEPRECATE_EOF
            | CLIENT_MULTI_STATEMENTS;
    private static final int UTF8MB4_GENERAL_CI = 45;

    private final EventLoopGroup group;
    private final BackendConnection connection;
    private final BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();

    private MariaDbResultSets(EventLoopGroup group, BackendConnection connection) {
        this.group = group;
        this.connection = connection;
    }

    /** Logs in to {@code server} as a new user with all privileges on {@code database} (created here). */
    static MariaDbResultSets connect(MariaDbServer server, String database) throws Exception {
        return connect(server, database, true);
    }

    /** @param deprecateEof whether CLIENT_DEPRECATE_EOF is negotiated (result sets end with OK instead of EOF) */
    static MariaDbResultSets connect(MariaDbServer server, String database, boolean deprecateEof) throws Exception {
        return connect(server, database, deprecateEof ? CLIENT_FLAGS : CLIENT_FLAGS & ~CLIENT_DEPRECATE_EOF);
    }

    /** @param clientFlags the capability flags of the client the gateway logs in for */
    static MariaDbResultSets connect(MariaDbServer server, String database, long clientFlags) throws Exception {
        server.sql("CREATE DATABASE IF NOT EXISTS " + database
                + "; CREATE USER IF NOT EXISTS 'masking'@'%' IDENTIFIED BY '" + PASSWORD
                + "'; GRANT ALL ON *.* TO 'masking'@'%';");
        TargetConfig target = new TargetConfig(
                "appdb",
                "127.0.0.1",
                server.port(),
                "masking",
                PASSWORD,
                database,
                Duration.ofSeconds(5),
                new BackendTlsConfig(BackendTlsMode.DISABLED, null));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            BackendConnection connection = new BackendConnector(
                            NioSocketChannel.class, 64 * 1024 * 1024, List.of(target))
                    .connect(new BackendConnectRequest(
                            target, clientFlags, Map.of(), Map.of(), database, UTF8MB4_GENERAL_CI, group.next()))
                    .get(10, TimeUnit.SECONDS);
            MariaDbResultSets connected = new MariaDbResultSets(group, connection);
            connected.listen();
            return connected;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The first result set of {@code sql} in the text protocol. */
    ResultSet query(String sql) throws Exception {
        return resultSet(CommandType.COM_QUERY, new ComQueryPacket(sql));
    }

    /** The first result set of {@code sql} in the binary protocol (prepared without parameters, then executed). */
    ResultSet execute(String sql) throws Exception {
        send(new ComStmtPreparePacket(sql));
        CommandResponseTracker tracker =
                new CommandResponseTracker(CommandType.COM_STMT_PREPARE, connection.capabilityFlags());
        int statementId = -1;
        while (!tracker.isComplete()) {
            byte[] payload = next();
            if (tracker.accept(Unpooled.wrappedBuffer(payload)) == PacketRole.PREPARE_OK) {
                statementId = ComStmtPrepareOkPacket.read(payload(payload)).statementId();
            }
        }
        return resultSet(CommandType.COM_STMT_EXECUTE, new ComStmtExecutePacket(statementId, 0, 1, new byte[0]));
    }

    /** The first result set of each of {@code times} executions of one prepare of {@code sql}. */
    List<ResultSet> executeRepeatedly(String sql, int times) throws Exception {
        send(new ComStmtPreparePacket(sql));
        CommandResponseTracker tracker =
                new CommandResponseTracker(CommandType.COM_STMT_PREPARE, connection.capabilityFlags());
        int statementId = -1;
        while (!tracker.isComplete()) {
            byte[] payload = next();
            if (tracker.accept(Unpooled.wrappedBuffer(payload)) == PacketRole.PREPARE_OK) {
                statementId = ComStmtPrepareOkPacket.read(payload(payload)).statementId();
            }
        }
        List<ResultSet> results = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            results.add(
                    resultSet(CommandType.COM_STMT_EXECUTE, new ComStmtExecutePacket(statementId, 0, 1, new byte[0])));
        }
        return results;
    }

    /** The column definitions the PREPARE of {@code sql} describes (the statement stays prepared). */
    List<ColumnDefinition41Packet> preparedColumns(String sql) throws Exception {
        send(new ComStmtPreparePacket(sql));
        CommandResponseTracker tracker =
                new CommandResponseTracker(CommandType.COM_STMT_PREPARE, connection.capabilityFlags());
        List<ColumnDefinition41Packet> columns = new ArrayList<>();
        while (!tracker.isComplete()) {
            byte[] payload = next();
            if (tracker.accept(Unpooled.wrappedBuffer(payload)) == PacketRole.COLUMN_DEFINITION) {
                columns.add(ColumnDefinition41Packet.read(
                        payload(payload), ColumnDefinition41Packet.hasExtendedMetadata(connection.capabilityFlags())));
            }
        }
        return List.copyOf(columns);
    }

    long capabilityFlags() {
        return connection.capabilityFlags();
    }

    /** Every packet of the response to {@code command}, until {@code tracker} sees it complete. */
    List<Packet> response(MySQLPacket command, CommandResponseTracker tracker) throws Exception {
        send(command);
        List<Packet> response = new ArrayList<>();
        while (!tracker.isComplete()) {
            Packet packet = nextPacket();
            tracker.accept(Unpooled.wrappedBuffer(packet.payload()));
            response.add(packet);
        }
        return response;
    }

    private ResultSet resultSet(CommandType command, MySQLPacket packet) throws Exception {
        send(packet);
        CommandResponseTracker tracker = new CommandResponseTracker(command, connection.capabilityFlags());
        List<ColumnDefinition41Packet> columns = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        boolean firstResultDone = false;
        while (!tracker.isComplete()) {
            byte[] payload = next();
            PacketRole role = tracker.accept(Unpooled.wrappedBuffer(payload));
            if (role == PacketRole.ERR) {
                throw new IOException("backend refused the statement: " + new String(payload, 9, payload.length - 9));
            }
            if (firstResultDone) {
                continue;
            }
            switch (role) {
                case COLUMN_DEFINITION ->
                    columns.add(ColumnDefinition41Packet.read(
                            payload(payload),
                            ColumnDefinition41Packet.hasExtendedMetadata(connection.capabilityFlags())));
                case TEXT_ROW, BINARY_ROW -> rows.add(payload);
                case RESULTSET_END -> firstResultDone = true;
                default -> {}
            }
        }
        return new ResultSet(List.copyOf(columns), List.copyOf(rows));
    }

    private void listen() {
        connection.channel().pipeline().addLast(new SimpleChannelInboundHandler<MySQLFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, MySQLFrame frame) {
                packets.add(new Packet(frame.sequenceId(), frame.chunkCount(), ByteBufUtil.getBytes(frame.payload())));
            }
        });
        connection.channel().config().setAutoRead(true);
    }

    private void send(MySQLPacket packet) throws InterruptedException {
        connection
                .channel()
                .writeAndFlush(MySQLFrame.fromPacket(packet, 0, ByteBufAllocator.DEFAULT))
                .sync();
    }

    private byte[] next() throws Exception {
        return nextPacket().payload();
    }

    private Packet nextPacket() throws Exception {
        Packet packet = packets.poll(10, TimeUnit.SECONDS);
        if (packet == null) {
            throw new IOException("no response packet from the backend within 10 s");
        }
        return packet;
    }

    private static MySQLPayload payload(byte[] bytes) {
        return new MySQLPayload(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void close() {
        connection.channel().close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
