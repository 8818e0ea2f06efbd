package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

/**
 * Copies the small frames of a response (rows, mostly) into one buffer of up to {@link #BATCH_BYTES} and passes that
 * on as one write, instead of one write per frame: a large result is hundreds of thousands of rows, and each write
 * costs a trip down the pipeline, a promise, an entry in the outbound buffer and one in TLS's queue. Only writes
 * nobody waits for (a void promise, as {@link ClientWriter#write} makes them) are batched; any other write, and
 * every flush and close, first passes on what is batched, so the client gets the bytes in the order written.
 *
 * <p>At most one batch is held back from the channel's outbound buffer, so its writability (the backend is read only
 * while the client is writable) is off by less than {@link #BATCH_BYTES}. The batch goes on when it is full, so
 * memory stays bounded however large the response. Sits in the client's pipeline on the application's side of the
 * frame encoder (and of the idle handler, which would otherwise make every void promise a real one).
 */
final class ClientWriteBatcher extends ChannelOutboundHandlerAdapter {

    /** One TLS record's worth of plaintext (16 KiB, what the TLS handler wraps at once). */
    static final int BATCH_BYTES = 16 * 1024;

    private ByteBuf batch;
    private ChannelPromise unwatched;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        unwatched = new VoidChannelPromise(ctx.channel(), false);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof MySQLFrame frame) || !promise.isVoid() || !MySQLFrameEncoder.isCopied(frame)) {
            passOn(ctx);
            ctx.write(msg, promise);
            return;
        }
        int length = MySQLFrame.HEADER_LENGTH + frame.payload().readableBytes();
        if (batch != null && batch.writableBytes() < length) {
            passOn(ctx);
        }
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(BATCH_BYTES, BATCH_BYTES);
        }
        try {
            MySQLFrameEncoder.copyInto(frame, batch);
        } finally {
            frame.release();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        passOn(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        passOn(ctx);
        ctx.close(promise);
    }

    /** The channel closed: what is batched was never flushed, and would not reach the client anyway. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    /**
     * Writes what is batched, not flushed, as the frames in it were written: nobody waits for it, and a failed
     * write closes the channel.
     */
    private void passOn(ChannelHandlerContext ctx) {
        if (batch != null) {
            ByteBuf full = batch;
            batch = null;
            ctx.write(full, unwatched);
        }
    }
}
