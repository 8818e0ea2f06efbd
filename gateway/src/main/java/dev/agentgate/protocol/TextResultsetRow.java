package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A row of a text protocol result set (COM_QUERY): one string&lt;lenenc&gt; per column, or 0xFB for NULL.
 * See {@link ResultsetRow} for replacing columns and writing the row back.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html">Text Resultset Row</a>
 */
public final class TextResultsetRow extends ResultsetRow {

    static final int NULL_MARKER = 0xFB;

    private TextResultsetRow(ByteBuf payload, int columnCount) {
        super(payload, columnCount);
    }

    /** A row whose columns are not located yet: for the differential test of the two ways to locate them. */
    static TextResultsetRow unlocated(ByteBuf payload, int columnCount) {
        return new TextResultsetRow(payload, columnCount);
    }

    /** Decodes the row at the payload's reader index without moving it; refuses a row of another column count. */
    public static TextResultsetRow read(ByteBuf payload, int columnCount) {
        TextResultsetRow row = new TextResultsetRow(payload, columnCount);
        row.locateColumns("text resultset row");
        return row;
    }

    @Override
    void skipPrefix(MySQLPayload reader) {
        // a text row starts with its first column
    }

    @Override
    void skipColumn(MySQLPayload reader, int column) {
        if (reader.peekInt1() == NULL_MARKER) {
            reader.readInt1();
        } else {
            reader.skipStringLenenc();
        }
    }

    @Override
    int prefixEnd(int start, int end) {
        return start;
    }

    @Override
    int valueEnd(int column, int at, int end) {
        if (at >= end) {
            return -1;
        }
        return unsignedByte(at) == NULL_MARKER ? at + 1 : lenencEnd(at, end);
    }

    @Override
    public boolean isNull(int column) {
        checkColumn(column);
        return unsignedByte(spanStarts[column]) == NULL_MARKER;
    }

    @Override
    public byte[] textValue(int column) {
        if (isNull(column)) {
            return null;
        }
        return lenencValue(column);
    }

    @Override
    int prefixLength() {
        return 0;
    }

    @Override
    int writePrefix(byte[] target, int at) {
        return at; // a text row starts with its first column
    }

    @Override
    int nullLength() {
        return 1;
    }

    @Override
    int writeNull(byte[] target, int at) {
        target[at] = (byte) NULL_MARKER;
        return at + 1;
    }
}
