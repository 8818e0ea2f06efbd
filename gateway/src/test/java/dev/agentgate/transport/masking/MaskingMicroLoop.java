package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Not a test: an indicative rows/s measurement of masking vs passing rows through (no JMH). Run with
 * {@code java -cp gateway/target/classes:gateway/target/test-classes:$(deps) dev.agentgate.transport.masking.MaskingMicroLoop}.
 */
public final class MaskingMicroLoop {

    private static final int ROWS = 2_000_000;
    private static final int ROWS_PER_RUN = 400;

    private MaskingMicroLoop() {}

    public static void main(String[] args) {
        List<ColumnDefinition41Packet> columns = List.of(
                column("id", ColumnType.MYSQL_TYPE_LONG, 63),
                column("name", ColumnType.MYSQL_TYPE_VAR_STRING, 45),
                column("email", ColumnType.MYSQL_TYPE_VAR_STRING, 45),
                column("ssn", ColumnType.MYSQL_TYPE_VAR_STRING, 45),
                column("created", ColumnType.MYSQL_TYPE_DATETIME, 63),
                column("amount", ColumnType.MYSQL_TYPE_NEWDECIMAL, 63),
                column("notes", ColumnType.MYSQL_TYPE_BLOB, 45),
                column("active", ColumnType.MYSQL_TYPE_TINY, 63));
        MaskingStrategies strategies =
                MaskingStrategies.builtIn("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        MaskPlan plan = MaskPlan.builder()
                .mask(2, strategies.create("email", Map.of()))
                .mask(3, strategies.create("hash", Map.of()))
                .build();
        MaskPlan cheapPlan = MaskPlan.builder()
                .mask(2, strategies.create("redact", Map.of()))
                .mask(3, strategies.create("partial", Map.of("keep_last", 4)))
                .build();
        // As the gateway has them: slices of a pooled direct buffer of the channel's allocator (Netty's default).
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        ByteBuf text = received(textRow(), allocator);
        ByteBuf binary = received(binaryRow(), allocator);
        MySQLFrameRun textRun = run(textRow(), MySQLFrameRun.Rows.TEXT, allocator);
        MySQLFrameRun binaryRun = run(binaryRow(), MySQLFrameRun.Rows.BINARY, allocator);
        for (int round = 0; round < 6; round++) {
            System.out.printf(
                    "round %d (row %d bytes text, %d bytes binary)%n",
                    round, text.readableBytes(), binary.readableBytes());
            measure("pass-through (retainedDuplicate)", text, allocator, (row, alloc) -> row.retainedDuplicate());
            measure(
                    "copy only (one buffer per row)",
                    text,
                    allocator,
                    (row, alloc) ->
                            alloc.buffer(row.readableBytes()).writeBytes(row, row.readerIndex(), row.readableBytes()));
            ResultSetMasker masker = new ResultSetMasker(columns, plan);
            ResultSetMasker cheap = new ResultSetMasker(columns, cheapPlan);
            measure("text, email+hash", text, allocator, (row, alloc) -> masker.maskTextRow(row));
            measure("text, redact+partial", text, allocator, (row, alloc) -> cheap.maskTextRow(row));
            measure("binary, email+hash", binary, allocator, (row, alloc) -> masker.maskBinaryRow(row));
            measure("binary, redact+partial", binary, allocator, (row, alloc) -> cheap.maskBinaryRow(row));
            measureRuns("text, redact+partial, runs", textRun, cheap);
            measureRuns("binary, redact+partial, runs", binaryRun, cheap);
        }
    }

    /** Rows masked a run at a time, as the relay masks what one read brought ({@value #ROWS_PER_RUN} rows). */
    private static void measureRuns(String name, MySQLFrameRun run, ResultSetMasker masker) {
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < ROWS / ROWS_PER_RUN; i++) {
            ByteBuf out = masker.maskRun(run);
            bytes += out.readableBytes();
            out.release();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %-36s %,12.0f rows/s (%d bytes out)%n", name, ROWS / seconds, bytes / ROWS);
    }

    /** {@value #ROWS_PER_RUN} packets of {@code row} in a pooled direct buffer, as the frame decoder hands a run on. */
    private static MySQLFrameRun run(ByteBuf row, MySQLFrameRun.Rows kind, ByteBufAllocator allocator) {
        ByteBuf packets = allocator.directBuffer(ROWS_PER_RUN * (row.readableBytes() + 4));
        for (int i = 0; i < ROWS_PER_RUN; i++) {
            packets.writeMediumLE(row.readableBytes()).writeByte(i & 0xFF);
            packets.writeBytes(row, row.readerIndex(), row.readableBytes());
        }
        return new MySQLFrameRun(packets, ROWS_PER_RUN, kind, (ROWS_PER_RUN - 1) & 0xFF, row.readableBytes());
    }

    private static void measure(
            String name, ByteBuf row, ByteBufAllocator allocator, BiFunction<ByteBuf, ByteBufAllocator, ByteBuf> work) {
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ROWS; i++) {
            ByteBuf out = work.apply(row, allocator);
            bytes += out.readableBytes();
            out.release();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %-36s %,12.0f rows/s (%d bytes out)%n", name, ROWS / seconds, bytes / ROWS);
    }

    /** A slice of a pooled direct buffer holding {@code row}'s bytes after others, as the frame decoder hands rows on. */
    private static ByteBuf received(ByteBuf row, ByteBufAllocator allocator) {
        int length = row.readableBytes();
        ByteBuf cumulation = allocator.directBuffer(64 * 1024);
        cumulation.writeZero(100).writeBytes(row);
        return cumulation.slice(100, length);
    }

    private static ColumnDefinition41Packet column(String name, ColumnType type, int charset) {
        return new ColumnDefinition41Packet(
                "def",
                "appdb",
                "customers",
                "customers",
                name,
                name,
                charset,
                255,
                type.code(),
                0,
                type == ColumnType.MYSQL_TYPE_NEWDECIMAL ? 2 : 0,
                null);
    }

    private static ByteBuf textRow() {
        ByteBuf row = Unpooled.buffer();
        MySQLPayload payload = new MySQLPayload(row);
        for (String value : List.of(
                "1234567",
                "Jane Doe",
                "jane.doe@example.com",
                "123-45-6789",
                "2024-02-29 13:14:15",
                "1234.50",
                "x".repeat(100),
                "1")) {
            payload.writeStringLenenc(value);
        }
        return row;
    }

    private static ByteBuf binaryRow() {
        ByteBuf row = Unpooled.buffer();
        MySQLPayload payload = new MySQLPayload(row);
        payload.writeInt1(0);
        payload.writeInt2(0);
        payload.writeInt4(1234567);
        payload.writeStringLenenc("Jane Doe");
        payload.writeStringLenenc("jane.doe@example.com");
        payload.writeStringLenenc("123-45-6789");
        payload.writeBytes(new byte[] {7, (byte) 0xe8, 0x07, 2, 29, 13, 14, 15});
        payload.writeStringLenenc("1234.50");
        payload.writeStringLenenc("x".repeat(100));
        payload.writeInt1(1);
        return row;
    }
}
