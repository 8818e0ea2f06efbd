package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Client side of the command phase: hands each command frame to the session's relay. */
final class ClientCommandHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientCommandHandler.class);

    private final CommandRelay relay;

    ClientCommandHandler(CommandRelay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        relay.onClientFrame((MySQLFrame) msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        relay.onClientWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            relay.onIdle();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        relay.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        relay.onClientFailure(cause);
    }
}
