package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacketTooLargeException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Client side of the command phase: hands each command frame to the session's relay. */
final class ClientCommandHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientCommandHandler.class);

    private final CommandRelay relay;
    private final ClientConnection connection;

    ClientCommandHandler(CommandRelay relay, ClientConnection connection) {
        this.relay = relay;
        this.connection = connection;
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

    /** A client packet could not even be framed: say why (as MySQL does) and end the session. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.enterLogContext();
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        relay.onClientFailure(ClientHandshakeHandler.rootMessage(cause));
        if (root instanceof MySQLPacketTooLargeException) {
            log.warn("client sent a packet over listen.max_packet_size: {}", root.getMessage());
            connection.failAndClose(
                    Errors.of(
                            MySQLErrorCode.ER_NET_PACKET_TOO_LARGE,
                            "Got a packet bigger than 'max_allowed_packet' bytes"),
                    1);
        } else {
            log.warn("client connection failed: {}", ClientHandshakeHandler.rootMessage(cause));
            connection.close();
        }
    }
}
