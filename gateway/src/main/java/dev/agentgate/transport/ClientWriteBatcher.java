package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

/**
 * Passes the small frames of a response (rows, mostly) on as one write of up to {@link #BATCH_BYTES}, instead of one
 * write per frame: a large result is hundreds of thousands of rows, and each write costs a trip down the pipeline, a
 * promise, an entry in the outbound buffer and one in TLS's queue. Frames relayed as the backend sent them are
 * written as the one slice of the received bytes they lie in ({@link ReceivedSpan}); others are copied behind their
 * headers into one buffer. Rows passed on a read at a time ({@link #appendRows}) join the slice where they lie right
 * behind it, else go as the buffer they are in. Only writes
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
    /** Frames written as received, passed on as the slice they lie in: no copy. Never open while batch is not null. */
    private final ReceivedSpan span = new ReceivedSpan();

    private ChannelPromise unwatched;
    /** This handler's place in the pipeline while it is in one; null before and after. */
    private ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        unwatched = new VoidChannelPromise(ctx.channel(), false);
        context = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof MySQLFrame frame) || !promise.isVoid() || !MySQLFrameEncoder.isCopied(frame)) {
            passOn(ctx);
            ctx.write(msg, promise);
            return;
        }
        batch(ctx, frame);
    }

    /**
     * Takes a frame nobody waits for straight from {@link ClientWriter}, as a void-promise write would have reached
     * {@link #write}, without its trip from the pipeline's tail (a cost per row). On the channel's event loop only.
     *
     * @return false when this handler does not batch {@code frame} (too large, or no longer in the pipeline): the
     *     caller writes it to the channel, which keeps the order since every write passes here
     */
    boolean append(MySQLFrame frame) {
        ChannelHandlerContext ctx = context;
        if (ctx == null || !MySQLFrameEncoder.isCopied(frame)) {
            return false;
        }
        batch(ctx, frame);
        return true;
    }

    /** Whether this handler is in the client's pipeline, so {@link #appendRows} writes. */
    boolean isInPipeline() {
        return context != null;
    }

    /**
     * Writes whole packets (rows taken a read at a time) as the one buffer they are in, after what is batched: what
     * one read brought is no smaller than a batch worth making. Only while {@link #isInPipeline}, on the channel's
     * event loop.
     */
    void appendRows(ByteBuf packets) {
        if (span.append(packets, BATCH_BYTES)) {
            return;
        }
        passOn(context);
        if (packets.readableBytes() > BATCH_BYTES || !span.open(packets)) {
            context.write(packets, unwatched);
        }
    }

    private void batch(ChannelHandlerContext ctx, MySQLFrame frame) {
        if (span.append(frame, BATCH_BYTES)) {
            return;
        }
        if (ReceivedSpan.canOpen(frame)) {
            passOn(ctx);
            if (span.open(frame)) {
                return;
            }
        }
        int length = MySQLFrame.HEADER_LENGTH + frame.payload().readableBytes();
        if (span.isOpen() || batch != null && batch.writableBytes() < length) {
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
        context = null;
        span.discard();
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
        if (span.isOpen()) {
            ctx.write(span.take(), unwatched);
        }
        if (batch != null) {
            ByteBuf full = batch;
            batch = null;
            ctx.write(full, unwatched);
        }
    }
}
