package dev.agentgate.protocol;

import static dev.agentgate.protocol.ResultsetRowTestSupport.column;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A row's columns are located by index arithmetic, and by the payload reader where that finds something wrong. The
 * reader is the reference: over well-formed rows and rows broken in every way a byte can break them (cut short,
 * bytes added, a byte changed, a length prefix that starts no length or a wider one), lying among other bytes on the
 * heap or in a direct buffer, the index arithmetic accepts exactly the rows the reader accepts, with the same column
 * starts.
 */
class ResultsetRowLocatingTest {

    private static final int ROWS = 20_000;

    private static final ColumnType[] BINARY_TYPES = {
        ColumnType.MYSQL_TYPE_NULL,
        ColumnType.MYSQL_TYPE_TINY,
        ColumnType.MYSQL_TYPE_SHORT,
        ColumnType.MYSQL_TYPE_INT24,
        ColumnType.MYSQL_TYPE_LONGLONG,
        ColumnType.MYSQL_TYPE_DOUBLE,
        ColumnType.MYSQL_TYPE_DATE,
        ColumnType.MYSQL_TYPE_DATETIME,
        ColumnType.MYSQL_TYPE_TIME,
        ColumnType.MYSQL_TYPE_VAR_STRING,
        ColumnType.MYSQL_TYPE_BLOB,
        ColumnType.MYSQL_TYPE_NEWDECIMAL,
        ColumnType.MYSQL_TYPE_BOOL
    };

    private final Random random = new Random(20261204);

    @Test
    void locatesTextRowsByIndexExactlyAsTheReaderDoes() {
        int accepted = 0;
        for (int i = 0; i < ROWS; i++) {
            int columns = 1 + random.nextInt(6);
            ByteBuf payload = amongOtherBytes(broken(textRow(columns)));
            TextResultsetRow row = TextResultsetRow.unlocated(payload, columns);

            int[] byReading = row.columnStartsByReading("text resultset row");
            assertThat(row.columnStartsByIndex())
                    .as(ByteBufUtil.hexDump(payload))
                    .isEqualTo(byReading);
            accepted += byReading == null ? 0 : 1;
            payload.release();
        }
        assertThat(accepted).as("rows both accepted").isBetween(ROWS / 5, ROWS - ROWS / 5);
    }

    @Test
    void locatesBinaryRowsByIndexExactlyAsTheReaderDoes() {
        int accepted = 0;
        for (int i = 0; i < ROWS; i++) {
            List<ColumnDefinition41Packet> definitions = new ArrayList<>();
            int columns = 1 + random.nextInt(9);
            for (int column = 0; column < columns; column++) {
                definitions.add(column(BINARY_TYPES[random.nextInt(BINARY_TYPES.length)]));
            }
            ResultsetColumns resultsetColumns = new ResultsetColumns(definitions);
            ByteBuf payload = amongOtherBytes(broken(binaryRow(resultsetColumns)));
            BinaryResultsetRow row = BinaryResultsetRow.unlocated(payload, resultsetColumns);

            int[] byReading = row.columnStartsByReading("binary resultset row");
            assertThat(row.columnStartsByIndex())
                    .as(ByteBufUtil.hexDump(payload) + " "
                            + definitions.stream()
                                    .map(d -> d.type().orElseThrow())
                                    .toList())
                    .isEqualTo(byReading);
            accepted += byReading == null ? 0 : 1;
            payload.release();
        }
        assertThat(accepted).as("rows both accepted").isBetween(ROWS / 10, ROWS - ROWS / 5);
    }

    @Test
    void locatesARowInTheMiddleOfABufferWithinItsReadableBytesOnly() {
        // the row: 'ab', NULL; the byte after it would be a third column to a reader that ran past the row
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {9, 2, 'a', 'b', (byte) 0xFB, 0})
                .setIndex(1, 5);

        assertThat(TextResultsetRow.unlocated(payload, 2).columnStartsByIndex()).containsExactly(1, 4, 5);
        assertThat(TextResultsetRow.unlocated(payload, 3).columnStartsByIndex()).isNull();
    }

    /**
     * The row as its payload's readable bytes, on the heap or in a direct buffer, with random bytes before and after
     * it (as a row lies among the others of a run): neither way may read past the row into them.
     */
    private ByteBuf amongOtherBytes(byte[] row) {
        byte[] before = new byte[random.nextInt(3) * random.nextInt(20)];
        byte[] after = new byte[random.nextInt(3) * random.nextInt(20)];
        random.nextBytes(before);
        random.nextBytes(after);
        int capacity = before.length + row.length + after.length;
        ByteBuf buffer = random.nextInt(8) > 0 ? Unpooled.buffer(capacity) : Unpooled.directBuffer(capacity);
        buffer.writeBytes(before).writeBytes(row).writeBytes(after);
        return buffer.setIndex(before.length, before.length + row.length);
    }

    private byte[] textRow(int columns) {
        ByteBuf row = Unpooled.buffer();
        for (int column = 0; column < columns; column++) {
            if (random.nextInt(5) == 0) {
                row.writeByte(0xFB);
            } else {
                lenencString(row, random.nextInt(random.nextBoolean() ? 8 : 300));
            }
        }
        return bytes(row);
    }

    private byte[] binaryRow(ResultsetColumns columns) {
        byte[] bitmap = new byte[(columns.count() + 2 + 7) / 8];
        ByteBuf values = Unpooled.buffer();
        for (int column = 0; column < columns.count(); column++) {
            if (random.nextInt(4) == 0) {
                int bit = column + 2;
                bitmap[bit / 8] |= (byte) (1 << bit % 8);
                continue;
            }
            int layout = columns.binaryLayout(column);
            if (layout >= 0) {
                values.writeZero(layout);
            } else if (layout == BinaryProtocolValue.TEMPORAL) {
                int[] lengths = columns.type(column) == ColumnType.MYSQL_TYPE_TIME
                        ? new int[] {0, 8, 12}
                        : new int[] {0, 4, 7, 11};
                int length = lengths[random.nextInt(lengths.length)];
                values.writeByte(length).writeZero(length);
            } else if (layout == BinaryProtocolValue.LENGTH_ENCODED) {
                lenencString(values, random.nextInt(random.nextBoolean() ? 8 : 300));
            } else {
                values.writeByte(1); // a type that never appears in a row: refused by both
            }
        }
        return bytes(Unpooled.buffer().writeByte(0x00).writeBytes(bitmap).writeBytes(values));
    }

    /** A string&lt;lenenc&gt; of {@code length} bytes, its length prefix sometimes wider than it needs. */
    private void lenencString(ByteBuf out, int length) {
        int width = length < 0xFB ? random.nextInt(4) : 1 + random.nextInt(3);
        switch (width) {
            case 0 -> out.writeByte(length);
            case 1 -> out.writeByte(0xFC).writeShortLE(length);
            case 2 -> out.writeByte(0xFD).writeMediumLE(length);
            default -> out.writeByte(0xFE).writeLongLE(length);
        }
        out.writeZero(length);
    }

    /** The row as it is (a third of the time), or broken in one of the ways a byte can break it. */
    private byte[] broken(byte[] row) {
        int way = random.nextInt(9);
        if (way < 3) {
            return row;
        }
        int at = random.nextInt(row.length);
        return switch (way) {
            case 3 -> Arrays.copyOf(row, at); // cut short
            case 4 -> Arrays.copyOf(row, row.length + 1 + random.nextInt(3)); // bytes after the last column
            case 5 -> changed(row, at, (byte) random.nextInt(256));
            case 6 -> changed(row, at, (byte) 0xFF);
            case 7 -> changed(row, at, (byte) 0xFB);
            default -> changed(row, at, (byte) (0xFC + random.nextInt(3))); // a wider length prefix
        };
    }

    private static byte[] changed(byte[] row, int at, byte value) {
        byte[] copy = row.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }
}
