package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Backend side of the command phase: hands each response frame (or run of rows) to the session's relay. */
final class BackendResponseHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendResponseHandler.class);

    private final CommandRelay relay;

    BackendResponseHandler(CommandRelay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MySQLFrameRun run) {
            relay.onBackendRun(run);
        } else {
            relay.onBackendFrame((MySQLFrame) msg);
        }
    }

    /** Whoever reads the backend after this session reads single frames, as they expect. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        BackendRowRuns.stopIn(ctx.channel());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        relay.onBackendReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("backend connection failed: {}", ClientHandshakeHandler.rootMessage(cause));
        ctx.close();
    }
}
