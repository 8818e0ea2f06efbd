package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Masking a run of rows at once gives the packets that masking each row and framing it would. */
class ResultSetMaskerRunTest {

    private static final MaskingStrategies STRATEGIES =
            MaskingStrategies.builtIn("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    /** id BIGINT, email VARCHAR(255), note VARCHAR(255) (utf8mb4). */
    private static final List<ColumnDefinition41Packet> COLUMNS = List.of(
            column("id", 63, ColumnType.MYSQL_TYPE_LONGLONG),
            column("email", 45, ColumnType.MYSQL_TYPE_VAR_STRING),
            column("note", 45, ColumnType.MYSQL_TYPE_VAR_STRING));

    private static final MaskPlan PLAN = MaskPlan.builder()
            .mask(1, STRATEGIES.create("email", Map.of()))
            .mask(2, STRATEGIES.create("hash", Map.of()))
            .build();

    private final ResultSetMasker masker = new ResultSetMasker(COLUMNS, PLAN);

    @Test
    void aRunOfTextRowsIsMaskedAsEachRowWouldBeKeepingEachRowsSequenceId() {
        Random random = new Random(1);
        byte[][] payloads = new byte[300][];
        for (int row = 0; row < payloads.length; row++) {
            payloads[row] = textRow(random, row);
        }

        assertMaskedAsOneByOne(MySQLFrameRun.Rows.TEXT, payloads, 250); // sequence ids wrap past 255
    }

    @Test
    void aRunOfBinaryRowsIsMaskedAsEachRowWouldBe() {
        // 7 | a@b.c | NULL, then 8 | NULL | x
        byte[][] payloads = {
            ByteBufUtil.decodeHexDump("00" + "10" + "0700000000000000" + "056140622e63"),
            ByteBufUtil.decodeHexDump("00" + "08" + "0800000000000000" + "0178")
        };

        assertMaskedAsOneByOne(MySQLFrameRun.Rows.BINARY, payloads, 1);
    }

    @Test
    void oneMaskerMasksASmallRunAfterALargerOneAsEachRowWouldBe() {
        Random random = new Random(2);
        for (int rows : new int[] {3, 200, 2}) {
            byte[][] payloads = new byte[rows][];
            for (int row = 0; row < rows; row++) {
                payloads[row] = textRow(random, row);
            }

            assertMaskedAsOneByOne(MySQLFrameRun.Rows.TEXT, payloads, 1);
        }
    }

    @Test
    void aRunInADirectBufferAfterOtherBytesIsMaskedAsEachRowWouldBe() {
        byte[] payload = ByteBufUtil.decodeHexDump("0137" + "056140622e63" + "fb");
        ByteBuf direct = Unpooled.directBuffer().writeBytes(new byte[] {9, 9, 9});
        direct.writeMediumLE(payload.length).writeByte(4).writeBytes(payload);
        ByteBuf alone = masker.maskTextRow(Unpooled.wrappedBuffer(payload));
        MySQLFrameRun rows = new MySQLFrameRun(direct.skipBytes(3), 1, MySQLFrameRun.Rows.TEXT, 4, payload.length);

        ByteBuf masked = masker.maskRun(rows);

        assertThat(ByteBufUtil.hexDump(masked))
                .isEqualTo(String.format("%02x0000", alone.readableBytes()) + "04" + ByteBufUtil.hexDump(alone));
        masked.release();
        alone.release();
        rows.release();
    }

    @Test
    void aRunWithARowOverAMebibyteIsLeftToBeMaskedRowByRow() {
        MySQLFrameRun rows = new MySQLFrameRun(
                Unpooled.buffer(), 1, MySQLFrameRun.Rows.TEXT, 1, ResultSetMasker.LARGEST_ROW_IN_RUN + 1);

        assertThat(masker.maskRun(rows)).isNull();
        rows.release();
    }

    @Test
    void aMalformedRowInARunIsRefusedAsARowAloneWouldBe() {
        ByteBuf run = Unpooled.buffer();
        run.writeMediumLE(3).writeByte(1).writeBytes(new byte[] {1, '7', 0x05}); // email cut short
        MySQLFrameRun rows = new MySQLFrameRun(run, 1, MySQLFrameRun.Rows.TEXT, 1, 3);

        assertThatThrownBy(() -> masker.maskRun(rows)).isInstanceOf(MalformedPacketException.class);
        rows.release();
    }

    /**
     * The run of {@code payloads} (sequence ids from {@code firstSequenceId}) masks into the packets that masking
     * each payload alone and framing it with its sequence id gives.
     */
    private void assertMaskedAsOneByOne(MySQLFrameRun.Rows kind, byte[][] payloads, int firstSequenceId) {
        ByteBuf run = Unpooled.buffer();
        ByteBuf expected = Unpooled.buffer();
        int sequenceId = 0;
        for (int row = 0; row < payloads.length; row++) {
            sequenceId = (firstSequenceId + row) & 0xFF;
            run.writeMediumLE(payloads[row].length).writeByte(sequenceId).writeBytes(payloads[row]);
            ByteBuf payload = Unpooled.wrappedBuffer(payloads[row]);
            ByteBuf masked =
                    kind == MySQLFrameRun.Rows.BINARY ? masker.maskBinaryRow(payload) : masker.maskTextRow(payload);
            expected.writeMediumLE(masked.readableBytes()).writeByte(sequenceId).writeBytes(masked);
            masked.release();
        }
        MySQLFrameRun rows = new MySQLFrameRun(run, payloads.length, kind, sequenceId, 8000);

        ByteBuf masked = masker.maskRun(rows);

        assertThat(ByteBufUtil.hexDump(masked)).isEqualTo(ByteBufUtil.hexDump(expected));
        masked.release();
        expected.release();
        rows.release();
    }

    /** id | email (NULL at times) | note of up to ~7,000 bytes. */
    private static byte[] textRow(Random random, int id) {
        ByteBuf row = Unpooled.buffer();
        MySQLPayload values = new MySQLPayload(row);
        values.writeStringLenenc(Integer.toString(id));
        if (random.nextInt(5) == 0) {
            row.writeByte(0xFB); // NULL
        } else {
            values.writeStringLenenc("user" + id + "@example.com");
        }
        int noteLength = random.nextInt(8) == 0 ? 300 + random.nextInt(7000) : random.nextInt(100);
        StringBuilder note = new StringBuilder();
        for (int i = 0; i < noteLength; i++) {
            note.append((char) ('a' + random.nextInt(26)));
        }
        values.writeStringLenenc(note.toString());
        byte[] bytes = ByteBufUtil.getBytes(row);
        row.release();
        return bytes;
    }

    private static ColumnDefinition41Packet column(String name, int charset, ColumnType type) {
        return new ColumnDefinition41Packet(
                "def", "appdb", "people", "people", name, name, charset, 255, type.code(), 0, 0, null);
    }
}
