package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Backend side of the command phase: hands each response frame to the session's relay. */
final class BackendResponseHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendResponseHandler.class);

    private final CommandRelay relay;

    BackendResponseHandler(CommandRelay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        relay.onBackendFrame((MySQLFrame) msg);
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
