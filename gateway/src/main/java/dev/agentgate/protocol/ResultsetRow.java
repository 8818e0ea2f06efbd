package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;

/**
 * One row of a result set, decoded as a view over its payload: where each column's encoding starts, nothing
 * copied. Columns can be replaced by a string value or NULL; {@link #write} copies every other column's bytes
 * unchanged (in runs, not one by one), so a row with nothing replaced is written back byte for byte. Replacement
 * strings are written as string&lt;lenenc&gt;, which is right for every string column type in both protocols.
 * Not thread-safe; valid only while its payload is.
 */
public abstract sealed class ResultsetRow permits TextResultsetRow, BinaryResultsetRow {

    final ByteBuf payload;
    /**
     * The payload's array when it has one (rows copied to the heap), read directly: a masked row is read a byte at a
     * time, and each of a buffer's reads checks its reference count and bounds. Every index read is checked against
     * the row's end before it is read (by {@link #locatedByIndex}), the array's own bounds aside.
     */
    private final byte[] array;

    private final int arrayBase;
    /** {@code spanStarts[i]}: index of column i's first byte; {@code spanStarts[count]}: the end of the row. */
    final int[] spanStarts;

    /**
     * Stands for NULL among {@link #replacements}: compared by identity, so an empty string (another array) stays
     * an empty string.
     */
    private static final byte[] NULL_REPLACEMENT = new byte[0];

    private static final int LENENC_NULL = 0xFB;

    /** {@code replacements[i]}: column i's new value ({@link #NULL_REPLACEMENT} for NULL), null while it is kept. */
    private byte[][] replacements;

    ResultsetRow(ByteBuf payload, int columnCount) {
        if (columnCount < 1) {
            throw new IllegalArgumentException("columnCount must be at least 1, was " + columnCount);
        }
        this.payload = payload;
        this.array = payload.hasArray() ? payload.array() : null;
        this.arrayBase = payload.hasArray() ? payload.arrayOffset() : 0;
        this.spanStarts = new int[columnCount + 1];
    }

    public final int columnCount() {
        return spanStarts.length - 1;
    }

    /** Whether the column arrived as NULL (replacements do not change this). */
    public abstract boolean isNull(int column);

    /** The column's value as the text protocol shows it (bytes in the column's charset), null for NULL. */
    public abstract byte[] textValue(int column);

    /** Replaces the column's value by the string {@code value}, or by NULL when {@code value} is null. */
    public final void replace(int column, byte[] value) {
        checkColumn(column);
        if (replacements == null) {
            replacements = new byte[columnCount()][];
        }
        replacements[column] = value == null ? NULL_REPLACEMENT : value;
    }

    public final boolean isReplaced(int column) {
        checkColumn(column);
        return replacements != null && replacements[column] != null;
    }

    /** The exact number of bytes {@link #write} writes, so the target can be allocated once. */
    public final int encodedLength() {
        int length = prefixLength() + spanStarts[columnCount()] - spanStarts[0];
        for (int column = 0; replacements != null && column < replacements.length; column++) {
            if (replacements[column] != null) {
                length += replacementLength(replacements[column]) - (spanStarts[column + 1] - spanStarts[column]);
            }
        }
        return length;
    }

    /**
     * Writes the row with its replacements to {@code out} (exactly {@link #encodedLength()} bytes); the payload
     * itself is not touched. A heap buffer is written through its array, anything else through a copy of the row.
     */
    public final void write(ByteBuf out) {
        int length = encodedLength();
        out.ensureWritable(length);
        if (out.hasArray()) {
            int at = out.arrayOffset() + out.writerIndex();
            write(out.array(), at);
            out.writerIndex(out.writerIndex() + length);
        } else {
            byte[] row = new byte[length];
            write(row, 0);
            out.writeBytes(row);
        }
    }

    /**
     * Writes the row with its replacements into {@code target} from {@code at}, which must have room for {@link
     * #encodedLength()} bytes, and returns where it ended. Plain array writes: a masked row is written in pieces of a
     * few bytes, and a buffer's writes check its reference count and capacity at every piece.
     */
    public final int write(byte[] target, int at) {
        at = writePrefix(target, at);
        int copyFrom = spanStarts[0];
        for (int column = nextReplaced(0); column >= 0; column = nextReplaced(column + 1)) {
            at = copy(copyFrom, spanStarts[column] - copyFrom, target, at);
            byte[] value = replacements[column];
            if (value == NULL_REPLACEMENT) {
                at = writeNull(target, at);
            } else {
                at = MySQLPayload.putIntLenenc(target, at, value.length);
                System.arraycopy(value, 0, target, at, value.length);
                at += value.length;
            }
            copyFrom = spanStarts[column + 1];
        }
        return copy(copyFrom, spanStarts[columnCount()] - copyFrom, target, at);
    }

    /**
     * Copies payload bytes into {@code target} and returns where they end; from the payload's array where it has
     * one, which skips the buffer's checks per call.
     */
    final int copy(int from, int length, byte[] target, int at) {
        if (array != null) {
            System.arraycopy(array, arrayBase + from, target, at, length);
        } else {
            payload.getBytes(from, target, at, length);
        }
        return at + length;
    }

    /** The payload's byte at {@code index}, unsigned. */
    final int unsignedByte(int index) {
        return array != null ? array[arrayBase + index] & 0xFF : payload.getUnsignedByte(index);
    }

    /**
     * Where the string&lt;lenenc&gt; at {@code at} ends, read by index alone (no reader index moves): -1 unless its
     * length prefix and all of its bytes lie before {@code end}, the same strings {@link
     * MySQLPayload#skipStringLenenc} refuses.
     */
    final int lenencEnd(int at, int end) {
        if (at >= end) {
            return -1;
        }
        int first = unsignedByte(at);
        int width = lenencWidth(first);
        if (first == LENENC_NULL || first == 0xFF || width > end - at) {
            return -1;
        }
        long length = first < LENENC_NULL ? first : 0;
        for (int i = width - 1; i >= 1; i--) {
            length = length << 8 | unsignedByte(at + i);
        }
        int valueAt = at + width;
        return length >= 0 && length <= end - valueAt ? valueAt + (int) length : -1;
    }

    /** The value of the located string&lt;lenenc&gt; {@code column}, without its length prefix. */
    final byte[] lenencValue(int column) {
        int start = spanStarts[column];
        int width = lenencWidth(unsignedByte(start));
        byte[] value = new byte[spanStarts[column + 1] - start - width];
        copy(start + width, value.length, value, 0);
        return value;
    }

    /** How many bytes an int&lt;lenenc&gt; starting with {@code first} takes (0xFB and 0xFF are no lengths). */
    private static int lenencWidth(int first) {
        return first < LENENC_NULL ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : 9;
    }

    /** The next replaced column from {@code column} on, or -1 when none is. */
    final int nextReplaced(int column) {
        for (int next = column; replacements != null && next < replacements.length; next++) {
            if (replacements[next] != null) {
                return next;
            }
        }
        return -1;
    }

    /** Whether the replaced {@code column} is replaced by NULL. */
    final boolean replacedByNull(int column) {
        return replacements[column] == NULL_REPLACEMENT;
    }

    /** Bytes written before the first column (binary rows: header and NULL bitmap). */
    abstract int prefixLength();

    /** Writes what precedes the first column into {@code target} from {@code at}; returns where it ended. */
    abstract int writePrefix(byte[] target, int at);

    /** Bytes a NULL column takes among the values. */
    abstract int nullLength();

    /** Writes a NULL value into {@code target} from {@code at}; returns where it ended. */
    abstract int writeNull(byte[] target, int at);

    /** Runs {@code reader} at the column's first byte, restoring the payload's reader index afterwards. */
    final byte[] readAt(int column, Function<MySQLPayload, byte[]> reader) {
        int readerIndex = payload.readerIndex();
        payload.readerIndex(spanStarts[column]);
        try {
            return reader.apply(new MySQLPayload(payload));
        } finally {
            payload.readerIndex(readerIndex);
        }
    }

    /** Skips what precedes the first column (binary rows: header and NULL bitmap). */
    abstract void skipPrefix(MySQLPayload reader);

    /** Skips one column's encoding. */
    abstract void skipColumn(MySQLPayload reader, int column);

    /**
     * Records where each column starts, from the payload's reader index, and rejects bytes after the last column,
     * so a row that does not match its column definitions is never passed on. The reader index is restored.
     */
    final void locateColumns(String rowKind) {
        if (!locatedByIndex(spanStarts)) {
            locateReading(rowKind, spanStarts);
        }
    }

    /** For the differential test: the column starts (and the end) found by index, null where it does not fit. */
    final int[] columnStartsByIndex() {
        int[] starts = new int[spanStarts.length];
        return locatedByIndex(starts) ? starts : null;
    }

    /** For the differential test: the column starts (and the end) found by reading, null where it refuses the row. */
    final int[] columnStartsByReading(String rowKind) {
        int[] starts = new int[spanStarts.length];
        try {
            locateReading(rowKind, starts);
            return starts;
        } catch (MalformedPacketException refused) {
            return null;
        }
    }

    /**
     * The columns located by index arithmetic alone, without a reader (a masked row is located column by column, and
     * the reader's checks per column cost more than the masking of a short value): false at the first byte that does
     * not fit, and the row is then read again by {@link #locateReading}, which says what is wrong. That one is the
     * reference: this accepts exactly the rows it accepts, with the same columns (ResultsetRowLocatingTest).
     */
    private boolean locatedByIndex(int[] starts) {
        int end = payload.writerIndex();
        int at = prefixEnd(payload.readerIndex(), end);
        for (int column = 0; column < columnCount() && at >= 0; column++) {
            starts[column] = at;
            at = valueEnd(column, at, end);
        }
        starts[columnCount()] = at;
        return at == end;
    }

    /** Where the bytes before the first column end (binary rows: header and NULL bitmap), -1 if they do not fit. */
    abstract int prefixEnd(int start, int end);

    /** Where the column's encoding from {@code at} ends, -1 if it does not fit before {@code end}. */
    abstract int valueEnd(int column, int at, int end);

    private void locateReading(String rowKind, int[] starts) {
        int readerIndex = payload.readerIndex();
        try {
            MySQLPayload reader = new MySQLPayload(payload);
            skipPrefix(reader);
            for (int column = 0; column < columnCount(); column++) {
                starts[column] = payload.readerIndex();
                skipColumn(reader, column);
            }
            starts[columnCount()] = payload.readerIndex();
            if (reader.hasRemaining()) {
                throw new MalformedPacketException(rowKind + ": " + reader.readableBytes()
                        + " bytes left after the last of " + columnCount() + " columns");
            }
        } finally {
            payload.readerIndex(readerIndex);
        }
    }

    final void checkColumn(int column) {
        if (column < 0 || column >= columnCount()) {
            throw new IndexOutOfBoundsException(
                    "column " + column + " is not among the row's " + columnCount() + " columns");
        }
    }

    private int replacementLength(byte[] value) {
        return value == NULL_REPLACEMENT ? nullLength() : MySQLPayload.lenencIntLength(value.length) + value.length;
    }
}
