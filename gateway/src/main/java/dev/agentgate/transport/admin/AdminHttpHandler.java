package dev.agentgate.transport.admin;

import dev.agentgate.admin.AdminRequest;
import dev.agentgate.admin.AdminResponse;
import dev.agentgate.admin.AdminRouter;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates HTTP requests to the {@link AdminRouter} and its answers back. Routes answer with futures, so a
 * request that waits (state database, issuer, Slack) never holds the event loop; the response is written
 * when the future completes, from whichever thread completed it (Netty hands the write to the channel's
 * loop). Stateless, hence shared.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRouter router;

    AdminHttpHandler(AdminRouter router) {
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean wellFormed = request.decoderResult().isSuccess();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && wellFormed;
        var version = request.protocolVersion();
        if (!wellFormed) {
            write(ctx, version, AdminResponse.json(400, "{\"error\":\"malformed HTTP request\"}"), false);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
        AdminRequest adminRequest = AdminRequest.of(
                request.method().name(),
                request.uri(),
                headers,
                ByteBufUtil.getBytes(request.content()),
                String.valueOf(ctx.channel().remoteAddress()));
        router.handle(adminRequest)
                .whenComplete((answer, failure) -> write(
                        ctx,
                        version,
                        failure == null ? answer : AdminResponse.json(500, "{\"error\":\"internal error\"}"),
                        keepAlive));
    }

    private static void write(ChannelHandlerContext ctx, HttpVersion version, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                version,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        answer.headers().forEach(response.headers()::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
