package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link MySQLFrame}s. Payloads are retained slices of the cumulation (no copy);
 * a packet sent as several 0xFFFFFF-byte chunks plus a shorter final chunk is reassembled into one
 * {@link CompositeByteBuf} of those slices. Stateful (a packet may be half reassembled), so never shared.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL Packets</a>
 */
public final class MySQLFrameDecoder extends ByteToMessageDecoder {

    private int maxPayloadBytes;
    private CompositeByteBuf pendingChunks;
    private int pendingSequenceId;
    private int pendingChunkCount;
    private boolean discarding;
    /** The rows to hand on as {@link MySQLFrameRun}s; null: every packet as a frame of its own. */
    private MySQLFrameRun.Rows runs;

    public MySQLFrameDecoder(int maxPayloadBytes) {
        setMaxPayloadBytes(maxPayloadBytes);
        setCumulator(JOIN_LARGE_READS);
    }

    /** Reads at least this large (and mostly filled) are joined to bytes left over from before without a copy. */
    static final int JOIN_WITHOUT_COPY_BYTES = 4096;

    /**
     * Bytes left over from a read (a packet cut by TCP) are joined with a large next read as a composite of both, not
     * by copying the read behind them: a large result arrives in reads of tens of KiB, nearly every one ending inside
     * a row, and that copy was a tenth of the gateway's CPU (bench/masking.sh, perf). Small or mostly empty reads are
     * copied, as a composite holds each read's whole buffer: a peer sending a packet a few bytes per read must not
     * make the gateway hold a buffer per few bytes. So the bytes held stay within twice what was received.
     */
    private static final Cumulator JOIN_LARGE_READS = (allocator, cumulation, in) -> {
        int received = in.readableBytes();
        boolean large = received >= JOIN_WITHOUT_COPY_BYTES && 2L * received >= in.capacity();
        return (large ? COMPOSITE_CUMULATOR : MERGE_CUMULATOR).cumulate(allocator, cumulation, in);
    };

    /**
     * Changes the limit for packets not yet begun: the connection phase runs with a small one (nothing
     * unauthenticated may make the gateway buffer much), the command phase with the configured one.
     */
    public void setMaxPayloadBytes(int maxPayloadBytes) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * From the next packet on, hands on consecutive packets that are rows of this kind ({@link MySQLFrameRun.Rows})
     * and lie whole in one buffer that was read as one {@link MySQLFrameRun}; any other packet still as a frame of its
     * own. Null goes back to frames only. Whoever reads the response asks for this where it expects rows, and stops
     * at their end (the end packet is never in a run).
     */
    public void emitRuns(MySQLFrameRun.Rows rows) {
        this.runs = rows;
    }

    /**
     * Hands over the bytes received but not yet framed. After an SSLRequest the client sends its TLS
     * ClientHello at once, often in the same TCP segment: those bytes must go to the TLS handler put
     * in front of this decoder, not be read as MySQL packets.
     */
    public ByteBuf takeUnframedBytes() {
        ByteBuf buffered = internalBuffer();
        return buffered.readRetainedSlice(buffered.readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (runs != null && pendingChunks == null && !discarding) {
            MySQLFrameRun run = readRun(in, runs);
            if (run != null) {
                out.add(run);
                return;
            }
        }
        while (!discarding && in.readableBytes() >= MySQLFrame.HEADER_LENGTH) {
            int chunkLength = in.getUnsignedMediumLE(in.readerIndex());
            int sequenceId = in.getUnsignedByte(in.readerIndex() + 3);
            long payloadSoFar = pendingChunks == null ? 0 : pendingChunks.readableBytes();
            if (payloadSoFar + chunkLength > maxPayloadBytes) {
                discardEverything(in);
                throw new MySQLPacketTooLargeException(payloadSoFar + chunkLength, maxPayloadBytes);
            }
            if (in.readableBytes() < MySQLFrame.HEADER_LENGTH + chunkLength) {
                return;
            }
            in.skipBytes(MySQLFrame.HEADER_LENGTH);
            ByteBuf chunk = retainedSliceOfWhatWasRead(in, chunkLength);
            in.skipBytes(chunkLength);
            if (chunkLength == MySQLFrame.MAX_CHUNK_LENGTH) {
                addPendingChunk(ctx, sequenceId, chunk);
                continue;
            }
            if (pendingChunks != null) {
                addPendingChunk(ctx, sequenceId, chunk);
                out.add(new MySQLFrame(pendingSequenceId, pendingChunkCount, pendingChunks));
                pendingChunks = null;
            } else {
                out.add(new MySQLFrame(sequenceId, 1, chunk));
            }
            // One frame per call: ByteToMessageDecoder hands it on before calling again, so the handler can act on
            // it first (take the bytes after an SSLRequest for TLS, raise the limit after login) and the bytes after
            // it are never judged by the state before.
            return;
        }
        if (discarding) {
            in.skipBytes(in.readableBytes());
        }
    }

    /**
     * The next {@code length} readable bytes of {@code in}, retained. Where they lie within one buffer that was read,
     * a slice of that buffer rather than of the composite the cumulation joined it into: reading it is then direct,
     * and the client's side can pass consecutive unchanged frames on as one slice of it.
     */
    private static ByteBuf retainedSliceOfWhatWasRead(ByteBuf in, int length) {
        int index = in.readerIndex();
        if (in instanceof CompositeByteBuf composite && length > 0) {
            int component = composite.toComponentIndex(index);
            int componentStart = composite.toByteIndex(component);
            ByteBuf read = composite.internalComponent(component);
            if (index + length <= componentStart + read.readableBytes()) {
                return read.retainedSlice(read.readerIndex() + index - componentStart, length);
            }
        }
        return in.retainedSlice(index, length);
    }

    /**
     * The packets at the start of {@code in} that are rows of kind {@code rows}, each a single chunk within the
     * payload limit, all within the one buffer that was read where the first begins (a slice of it, as
     * {@link #retainedSliceOfWhatWasRead}); null when the first packet is not such a row or not whole yet: it is then
     * framed as any packet is, limit checks and all.
     */
    private MySQLFrameRun readRun(ByteBuf in, MySQLFrameRun.Rows rows) {
        int index = in.readerIndex();
        ByteBuf read = in;
        int start = index;
        int end = in.writerIndex();
        if (in instanceof CompositeByteBuf composite && in.isReadable()) {
            int component = composite.toComponentIndex(index);
            int componentStart = composite.toByteIndex(component);
            read = composite.internalComponent(component);
            start = read.readerIndex() + index - componentStart;
            end = start + Math.min(read.writerIndex() - start, in.readableBytes());
        }
        int at = start;
        int packets = 0;
        int lastSequenceId = 0;
        int largestPayload = 0;
        while (end - at >= MySQLFrame.HEADER_LENGTH) {
            int length = read.getUnsignedMediumLE(at);
            if (length == 0
                    || length >= MySQLFrame.MAX_CHUNK_LENGTH
                    || length > maxPayloadBytes
                    || end - at - MySQLFrame.HEADER_LENGTH < length
                    || !rows.admits(read.getUnsignedByte(at + MySQLFrame.HEADER_LENGTH))) {
                break;
            }
            lastSequenceId = read.getUnsignedByte(at + 3);
            largestPayload = Math.max(largestPayload, length);
            at += MySQLFrame.HEADER_LENGTH + length;
            packets++;
        }
        if (packets == 0) {
            return null;
        }
        MySQLFrameRun run =
                new MySQLFrameRun(read.retainedSlice(start, at - start), packets, rows, lastSequenceId, largestPayload);
        in.skipBytes(at - start);
        return run;
    }

    private void addPendingChunk(ChannelHandlerContext ctx, int sequenceId, ByteBuf chunk) {
        if (pendingChunks == null) {
            pendingChunks = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            pendingSequenceId = sequenceId;
            pendingChunkCount = 0;
        }
        pendingChunks.addComponent(true, chunk);
        pendingChunkCount++;
    }

    private void discardEverything(ByteBuf in) {
        discarding = true;
        in.skipBytes(in.readableBytes());
        releasePending();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pendingChunks != null) {
            pendingChunks.release();
            pendingChunks = null;
        }
    }
}
