package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ValueEncoding;
import dev.agentgate.protocol.BinaryResultsetRow;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.ResultsetColumns;
import dev.agentgate.protocol.ResultsetRow;
import dev.agentgate.protocol.TextResultsetRow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies a {@link MaskPlan} to one result set on the data path: the column definitions the client must see
 * instead of the backend's ({@link #columnDefinitions()}), and each row rewritten ({@link #maskTextRow},
 * {@link #maskBinaryRow}). Built once per result set from all its column definitions; a result set without masked
 * columns needs no masker, its packets pass through untouched. A masked row is decoded as a view over a copy of its
 * payload (a run of rows is copied whole), masked values are computed from the columns' text form, and the row is
 * written into a heap array, unmasked columns copied byte for byte. Both are on the heap because the row is read and written in
 * pieces of a few bytes: through the backend's pooled direct buffers, each piece pays reference count and bounds
 * checks across slices and an NIO view per copy, about as much as the masking itself; one bulk copy in and one out
 * (the client's write batch) cost less. Rows larger than {@link #COPIED_ROW_BYTES} are read where they are. NULL
 * stays NULL unless the strategy {@link MaskingStrategy#masksNull() masks NULL} (derived columns): then it is
 * written as the masked value, in binary rows with its NULL bit cleared (the column definition is then a string
 * type). Not thread-safe (use it on the session's event loop).
 */
public final class ResultSetMasker {

    /**
     * Rows up to this size are read from a copy on the heap; larger ones where they are: a row of long values spends
     * little on per-piece checks, and a copy would double what it holds in memory (up to the packet limit).
     */
    static final int COPIED_ROW_BYTES = 8 * 1024;

    /**
     * Runs with longer rows are masked row by row: a masked value may be longer than the received one (a hash, the
     * email form), and a row near 16 MiB could then need a second chunk, which shifts the sequence ids after it.
     */
    static final int LARGEST_ROW_IN_RUN = 1 << 20;

    private final ResultsetColumns receivedColumns;
    private final List<ColumnDefinition41Packet> sentDefinitions;
    private final int[] maskedColumns;
    private final MaskingStrategy[] strategies;
    private final ValueEncoding[] encodings;
    /** A run's bytes while it is masked ({@link #maskRun}), and a buffer over them set to one row at a time. */
    private byte[] runCopy = new byte[0];

    private ByteBuf runView = Unpooled.wrappedBuffer(runCopy);

    /**
     * @param columns the result set's column definitions as the backend sent them
     * @param plan    a non-empty plan whose column indexes are all within {@code columns}
     */
    public ResultSetMasker(List<ColumnDefinition41Packet> columns, MaskPlan plan) {
        if (plan == null || plan.isEmpty()) {
            throw new IllegalArgumentException("a ResultSetMasker needs a plan that masks at least one column;"
                    + " without one the result set passes through");
        }
        this.receivedColumns = new ResultsetColumns(columns);
        if (plan.lastMaskedColumn() >= receivedColumns.count()) {
            throw new IllegalArgumentException("mask plan names column " + plan.lastMaskedColumn()
                    + " but the result set has " + receivedColumns.count() + " columns");
        }
        List<ColumnDefinition41Packet> sent = new ArrayList<>(receivedColumns.definitions());
        List<Integer> masked = new ArrayList<>();
        strategies = new MaskingStrategy[receivedColumns.count()];
        encodings = new ValueEncoding[receivedColumns.count()];
        for (int column = 0; column < receivedColumns.count(); column++) {
            MaskingStrategy strategy = plan.strategy(column).orElse(null);
            if (strategy != null) {
                ColumnDefinition41Packet received = receivedColumns.definition(column);
                sent.set(column, MaskedColumnDefinition.of(received, receivedColumns.type(column), strategy));
                strategies[column] = strategy;
                encodings[column] = ValueEncoding.forCollation(received.characterSet());
                masked.add(column);
            }
        }
        this.sentDefinitions = List.copyOf(sent);
        this.maskedColumns = masked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** How many columns of each row are masked: the masked values a row carries. */
    public int maskedColumnCount() {
        return maskedColumns.length;
    }

    /** The column definitions to send to the client, in order (unmasked ones are the received instances). */
    public List<ColumnDefinition41Packet> columnDefinitions() {
        return sentDefinitions;
    }

    /** The definition to send instead of the received one for {@code column}. */
    public ColumnDefinition41Packet columnDefinition(int column) {
        return sentDefinitions.get(column);
    }

    /** Whether the client must be sent another definition than the backend's for {@code column}. */
    public boolean rewritesColumnDefinition(int column) {
        return sentDefinitions.get(column) != receivedColumns.definition(column);
    }

    /** The masked form of a text protocol row payload, in a new buffer; the caller still owns {@code payload}. */
    public ByteBuf maskTextRow(ByteBuf payload) {
        return mask(TextResultsetRow.read(onHeap(payload), receivedColumns.count()));
    }

    /** The masked form of a binary protocol row payload, in a new buffer; the caller still owns {@code payload}. */
    public ByteBuf maskBinaryRow(ByteBuf payload) {
        return mask(BinaryResultsetRow.read(onHeap(payload), receivedColumns));
    }

    /**
     * A copy of the row's bytes on the heap, exactly its length: nothing but the row is within reach of any read,
     * however the row is malformed. A row larger than {@link #COPIED_ROW_BYTES} is read where it is.
     */
    private static ByteBuf onHeap(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length > COPIED_ROW_BYTES) {
            return payload;
        }
        byte[] copy = new byte[length];
        payload.getBytes(payload.readerIndex(), copy);
        return Unpooled.wrappedBuffer(copy);
    }

    /**
     * The masked form of a run of rows, as the packets the client is to get (each row's header with its length and
     * the sequence id it came with), in one new heap buffer (written with plain array copies; the TLS handler copies it
     * once more, whole); the caller still owns {@code run}. Null when a row of the run
     * is so long that its masked form might need another chunk: the caller masks the rows one by one then.
     */
    public ByteBuf maskRun(MySQLFrameRun run) {
        if (run.largestPayload() > LARGEST_ROW_IN_RUN) {
            return null;
        }
        byte[] in = copyOf(run.bytes());
        int inLength = run.bytes().readableBytes();
        boolean binary = run.rows() == MySQLFrameRun.Rows.BINARY;
        byte[] out = new byte[inLength + inLength / 4];
        int written = 0;
        for (int at = 0; at < inLength; ) {
            int length = in[at] & 0xFF | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16;
            // Each row sees only its own bytes: the view's indexes are set to the row's, and the row reads nothing
            // before its reader index or from its writer index on.
            ByteBuf payload = runView.setIndex(at + MySQLFrame.HEADER_LENGTH, at + MySQLFrame.HEADER_LENGTH + length);
            ResultsetRow row = binary
                    ? BinaryResultsetRow.read(payload, receivedColumns)
                    : TextResultsetRow.read(payload, receivedColumns.count());
            maskValues(row);
            int maskedLength = row.encodedLength();
            if (out.length - written < MySQLFrame.HEADER_LENGTH + maskedLength) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, written + MySQLFrame.HEADER_LENGTH + maskedLength));
            }
            out[written] = (byte) maskedLength;
            out[written + 1] = (byte) (maskedLength >>> 8);
            out[written + 2] = (byte) (maskedLength >>> 16);
            out[written + 3] = in[at + 3];
            written = row.write(out, written + MySQLFrame.HEADER_LENGTH);
            at += MySQLFrame.HEADER_LENGTH + length;
        }
        return Unpooled.wrappedBuffer(out, 0, written);
    }

    /**
     * The run's bytes in this masker's array, copied in one piece (the run lies in one received buffer), grown when a
     * run does not fit: each row is then read from the heap without a copy of its own.
     */
    private byte[] copyOf(ByteBuf run) {
        int length = run.readableBytes();
        if (runCopy.length < length) {
            runCopy = new byte[Math.max(length, 2 * runCopy.length)];
            runView = Unpooled.wrappedBuffer(runCopy);
        }
        run.getBytes(run.readerIndex(), runCopy, 0, length);
        return runCopy;
    }

    private ByteBuf mask(ResultsetRow row) {
        maskValues(row);
        byte[] masked = new byte[row.encodedLength()];
        row.write(masked, 0);
        return Unpooled.wrappedBuffer(masked);
    }

    private void maskValues(ResultsetRow row) {
        for (int column : maskedColumns) {
            MaskingStrategy strategy = strategies[column];
            boolean isNull = row.isNull(column);
            if (!isNull || strategy.masksNull()) {
                row.replace(
                        column,
                        strategy.masksToNull()
                                ? null
                                : strategy.mask(isNull ? null : row.textValue(column), encodings[column]));
            }
        }
    }
}
