package dev.agentgate.transport.admin;

import dev.agentgate.admin.AdminEndpoints;
import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.AdminRouter;
import dev.agentgate.admin.GatewayStatus;
import dev.agentgate.config.AdminConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint ({@code admin:} config) on its own single event loop, so a busy gateway
 * never delays health checks and admin clients never touch the MySQL workers. When disabled it is
 * a no-op, so the gateway can call it unconditionally.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /**
     * Slack's interactivity payloads (the whole message with its blocks) are the largest bodies; anything
     * bigger is answered 413 by the aggregator before a route sees it.
     */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static final int IDLE_SECONDS = 30;

    private final GatewayStatus status;
    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(GatewayStatus status, EventLoopGroup group, Channel channel) {
        this.status = status;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds the endpoint when {@code config.enabled()}; returns once it accepts requests.
     *
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static AdminServer startIfEnabled(AdminConfig config, GatewayStatus status) throws InterruptedException {
        return startIfEnabled(config, status, List.of());
    }

    /** As {@link #startIfEnabled(AdminConfig, GatewayStatus)}, with feature routes served before the built-in ones. */
    public static AdminServer startIfEnabled(AdminConfig config, GatewayStatus status, List<AdminRoute> routes)
            throws InterruptedException {
        if (!config.enabled()) {
            return new AdminServer(status, null, null);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AdminHttpHandler handler = new AdminHttpHandler(new AdminRouter(new AdminEndpoints(status), routes));
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS),
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                            handler);
                        }
                    })
                    .bind(config.host(), config.port())
                    .sync()
                    .channel();
            log.info("admin endpoint listening on http://{}", channel.localAddress());
            return new AdminServer(status, group, channel);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            // Netty rethrows bind failures unchecked and without the address: say which listener failed.
            throw new IllegalStateException(
                    "admin endpoint cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The bound port; -1 when disabled. */
    public int port() {
        return channel == null ? -1 : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Health turns to 503; the endpoint keeps serving until {@link #close()}. */
    public void shuttingDown() {
        status.shuttingDown();
    }

    @Override
    public void close() {
        if (group != null) {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
