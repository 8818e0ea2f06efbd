package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Reads a target's greeting and hangs up, so the gateway can present the backend's version and capabilities in
 * its own greeting. The backend logs the dropped connection as an aborted handshake, which is harmless.
 */
public final class BackendProbe {

    private final Class<? extends Channel> channelType;

    public BackendProbe(Class<? extends Channel> channelType) {
        this.channelType = Objects.requireNonNull(channelType, "channelType must not be null");
    }

    public Future<BackendGreeting> probe(TargetConfig target, EventLoop loop) {
        Promise<BackendGreeting> promise = loop.newPromise();
        long timeoutMillis = target.connectTimeout().toMillis();
        BackendConnector.connect(
                loop,
                target,
                promise,
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(new ReadTimeoutHandler(timeoutMillis, TimeUnit.MILLISECONDS))
                                .addLast(new MySQLFrameDecoder(BackendConnector.HANDSHAKE_MAX_PACKET_BYTES))
                                .addLast(new GreetingReader(target.name(), promise));
                    }
                },
                channelType);
        return promise;
    }

    private static final class GreetingReader extends SimpleChannelInboundHandler<MySQLFrame> {
        private final String target;
        private final Promise<BackendGreeting> promise;

        GreetingReader(String target, Promise<BackendGreeting> promise) {
            this.target = target;
            this.promise = promise;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MySQLFrame frame) {
            try {
                promise.trySuccess(BackendGreeting.of(BackendGreeting.readHandshake(target, frame.payload())));
            } catch (BackendConnectException e) {
                promise.tryFailure(e);
            }
            ctx.close();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!promise.isDone()) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            promise.tryFailure(
                    new BackendConnectException("target '" + target + "' closed the connection before its greeting"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            promise.tryFailure(BackendConnectException.protocolError(target, "sent no usable greeting", cause));
            ctx.close();
        }
    }
}
