package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A row of a binary protocol result set (COM_STMT_EXECUTE, COM_STMT_FETCH): header 0x00, a NULL bitmap with an
 * offset of 2 bits, then the non-NULL values in their per-type encoding ({@link BinaryProtocolValue}). A replaced
 * column is written as a string&lt;lenenc&gt; or flagged NULL in the bitmap, so a non-string column may only be
 * replaced by a string after its column definition was changed to a string type. See {@link ResultsetRow}.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row">Binary Resultset Row</a>
 */
public final class BinaryResultsetRow extends ResultsetRow {

    static final int HEADER = 0x00;
    private static final int NULL_BITMAP_OFFSET = 2;

    private final ResultsetColumns columns;
    private final int bitmapStart;

    private BinaryResultsetRow(ByteBuf payload, ResultsetColumns columns) {
        super(payload, columns.count());
        this.columns = columns;
        this.bitmapStart = payload.readerIndex() + 1;
    }

    /** A row whose columns are not located yet: for the differential test of the two ways to locate them. */
    static BinaryResultsetRow unlocated(ByteBuf payload, ResultsetColumns columns) {
        return new BinaryResultsetRow(payload, columns);
    }

    /** Decodes the row at the payload's reader index without moving it; refuses a row that does not fit {@code columns}. */
    public static BinaryResultsetRow read(ByteBuf payload, ResultsetColumns columns) {
        BinaryResultsetRow row = new BinaryResultsetRow(payload, columns);
        row.locateColumns("binary resultset row");
        return row;
    }

    @Override
    void skipPrefix(MySQLPayload reader) {
        reader.readHeader(HEADER, "binary resultset row");
        reader.skipStringFix(bitmapLength(columnCount()));
    }

    @Override
    void skipColumn(MySQLPayload reader, int column) {
        if (!isNull(column)) {
            BinaryProtocolValue.skip(reader, columns.type(column), columns.binaryLayout(column));
        }
    }

    @Override
    int prefixEnd(int start, int end) {
        int columnsAt = start + prefixLength();
        return start < end && unsignedByte(start) == HEADER && columnsAt <= end ? columnsAt : -1;
    }

    @Override
    int valueEnd(int column, int at, int end) {
        if (isNull(column)) {
            return at;
        }
        int layout = columns.binaryLayout(column);
        if (layout >= 0) {
            return layout <= end - at ? at + layout : -1;
        }
        if (layout == BinaryProtocolValue.TEMPORAL) {
            if (at >= end) {
                return -1;
            }
            int length = unsignedByte(at);
            return BinaryProtocolValue.validTemporalLength(columns.type(column), length) && length < end - at
                    ? at + 1 + length
                    : -1;
        }
        return layout == BinaryProtocolValue.LENGTH_ENCODED ? lenencEnd(at, end) : -1;
    }

    @Override
    public boolean isNull(int column) {
        checkColumn(column);
        int bit = column + NULL_BITMAP_OFFSET;
        return (unsignedByte(bitmapStart + bit / 8) & 1 << bit % 8) != 0;
    }

    @Override
    public byte[] textValue(int column) {
        if (isNull(column)) {
            return null;
        }
        if (columns.binaryLayout(column) == BinaryProtocolValue.LENGTH_ENCODED) {
            return lenencValue(column);
        }
        return readAt(
                column,
                reader -> BinaryProtocolValue.readAsText(
                        reader, columns.definition(column), columns.type(column), columns.binaryLayout(column)));
    }

    @Override
    int prefixLength() {
        return 1 + bitmapLength(columnCount());
    }

    /**
     * The received bitmap with the bits of the replaced columns set or cleared (a row is masked a few columns at a
     * time: copying the bitmap and patching those bits costs less than building it bit by bit); the two reserved low
     * bits and the padding after the last column are written as zeros, whatever arrived.
     */
    @Override
    int writePrefix(byte[] target, int at) {
        target[at] = HEADER;
        int bitmapAt = at + 1;
        int bitmapLength = bitmapLength(columnCount());
        copy(bitmapStart, bitmapLength, target, bitmapAt);
        target[bitmapAt] &= (byte) ~((1 << NULL_BITMAP_OFFSET) - 1);
        int usedBits = (columnCount() + NULL_BITMAP_OFFSET) % 8;
        if (usedBits != 0) {
            target[bitmapAt + bitmapLength - 1] &= (byte) ((1 << usedBits) - 1);
        }
        for (int column = nextReplaced(0); column >= 0; column = nextReplaced(column + 1)) {
            int bit = column + NULL_BITMAP_OFFSET;
            int mask = 1 << bit % 8;
            int byteAt = bitmapAt + bit / 8;
            target[byteAt] = (byte) (replacedByNull(column) ? target[byteAt] | mask : target[byteAt] & ~mask);
        }
        return bitmapAt + bitmapLength;
    }

    @Override
    int nullLength() {
        return 0;
    }

    @Override
    int writeNull(byte[] target, int at) {
        return at; // NULL lives in the bitmap only
    }

    private static int bitmapLength(int columnCount) {
        return (columnCount + NULL_BITMAP_OFFSET + 7) / 8;
    }
}
