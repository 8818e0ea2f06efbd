package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's control connection for {@link StatementCanceller}: opened on first use (and again after it broke),
 * one KILL at a time, each answered by a single OK or ERR. All state is confined to its event loop.
 */
final class ControlConnection {

    private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);
    /** utf8mb4_general_ci; the statements sent here are ASCII. */
    private static final int CHARACTER_SET = 45;

    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41
            | CapabilityFlags.CLIENT_SECURE_CONNECTION
            | CapabilityFlags.CLIENT_PLUGIN_AUTH
            | CapabilityFlags.CLIENT_TRANSACTIONS;
    /** MariaDB's answer to a KILL of a thread that is gone: nothing of it runs any more, which is what was wanted. */
    private static final int UNKNOWN_THREAD = 1094;

    private record Kill(String statement, CompletableFuture<Void> done) {}

    private final BackendConnector connector;
    private final TargetConfig target;
    private final EventLoop loop;
    private final Queue<Kill> waiting = new ArrayDeque<>();
    private Channel channel;
    private boolean connecting;
    private Kill sent;

    ControlConnection(BackendConnector connector, TargetConfig target, EventLoop loop) {
        this.connector = connector;
        this.target = target;
        this.loop = loop;
    }

    CompletableFuture<Void> send(String statement) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            waiting.add(new Kill(statement, done));
            sendNext();
        });
        return done;
    }

    private void sendNext() {
        if (sent != null || connecting || waiting.isEmpty()) {
            return;
        }
        if (channel == null || !channel.isActive()) {
            connect();
            return;
        }
        sent = waiting.poll();
        log.debug("control connection to target {}: {}", target.name(), sent.statement());
        channel.writeAndFlush(MySQLFrame.fromPacket(new ComQueryPacket(sent.statement()), 0, channel.alloc()))
                .addListener(written -> {
                    if (!written.isSuccess()) {
                        channel.close();
                    }
                });
    }

    private void connect() {
        connecting = true;
        connector
                .connect(new BackendConnectRequest(
                        target, CAPABILITIES, Map.of(), Map.of("agentgate.role", "control"), null, CHARACTER_SET, loop))
                .addListener((Future<BackendConnection> connected) -> {
                    connecting = false;
                    if (!connected.isSuccess()) {
                        log.warn(
                                "control connection to target {} failed: {}",
                                target.name(),
                                connected.cause().getMessage());
                        failAll(connected.cause());
                        return;
                    }
                    Channel opened = connected.getNow().channel();
                    channel = opened;
                    opened.pipeline().addLast("control", new Answers());
                    opened.closeFuture().addListener(closed -> onClosed(opened));
                    opened.config().setAutoRead(true);
                    sendNext();
                });
    }

    private void onClosed(Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        if (sent != null) {
            sent.done()
                    .completeExceptionally(
                            new IllegalStateException("the control connection to target " + target.name() + " closed"));
            sent = null;
        }
        sendNext();
    }

    private void failAll(Throwable cause) {
        Kill kill;
        while ((kill = waiting.poll()) != null) {
            kill.done().completeExceptionally(cause);
        }
    }

    /** The server's answer to the KILL in flight. */
    private final class Answers extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            MySQLFrame frame = (MySQLFrame) msg;
            try {
                answered(frame);
            } finally {
                frame.release();
            }
        }

        private void answered(MySQLFrame frame) {
            Kill kill = sent;
            sent = null;
            if (kill == null) {
                // Only a server closing the connection speaks unasked; start afresh.
                channel.close();
                return;
            }
            boolean error = frame.payload().getUnsignedByte(frame.payload().readerIndex()) == ErrPacket.HEADER;
            ErrPacket err =
                    error ? ErrPacket.read(new MySQLPayload(frame.payload().duplicate())) : null;
            if (err == null || err.errorCode() == UNKNOWN_THREAD) {
                kill.done().complete(null);
            } else {
                log.warn(
                        "control connection to target {}: {} failed: {} {}",
                        target.name(),
                        kill.statement(),
                        err.errorCode(),
                        err.message());
                kill.done().completeExceptionally(new IllegalStateException(err.message()));
            }
            sendNext();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("control connection to target {} failed: {}", target.name(), cause.toString());
            ctx.close();
        }
    }
}
