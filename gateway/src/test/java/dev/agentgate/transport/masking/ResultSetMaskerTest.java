package dev.agentgate.transport.masking;

import static dev.agentgate.protocol.ColumnDefinitionFlags.ENUM_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.NOT_NULL_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.PRI_KEY_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.UNSIGNED_FLAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.protocol.BinaryResultsetRow;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.ResultsetColumns;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultSetMaskerTest {

    private static final int BINARY = 63;
    private static final int UTF8MB4 = 45;
    private static final MaskingStrategies STRATEGIES =
            MaskingStrategies.builtIn("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final MaskingStrategy REDACT = STRATEGIES.create("redact", Map.of());
    private static final MaskingStrategy NULL = STRATEGIES.create("null", Map.of());
    private static final MaskingStrategy HASH = STRATEGIES.create("hash", Map.of());

    /** id INT UNSIGNED NOT NULL PRIMARY KEY, ssn INT NOT NULL, email VARCHAR(4), born DATETIME, grade ENUM. */
    private static final List<ColumnDefinition41Packet> COLUMNS = List.of(
            column("id", BINARY, 10, ColumnType.MYSQL_TYPE_LONG, NOT_NULL_FLAG | PRI_KEY_FLAG | UNSIGNED_FLAG),
            column("ssn", BINARY, 11, ColumnType.MYSQL_TYPE_LONG, NOT_NULL_FLAG),
            column("email", UTF8MB4, 16, ColumnType.MYSQL_TYPE_VAR_STRING, 0),
            column("born", BINARY, 19, ColumnType.MYSQL_TYPE_DATETIME, 0),
            column("grade", UTF8MB4, 4, ColumnType.MYSQL_TYPE_STRING, ENUM_FLAG));

    private static ColumnDefinition41Packet column(String name, int charset, long length, ColumnType type, int flags) {
        return new ColumnDefinition41Packet(
                "def", "appdb", "people", "people", name, name, charset, length, type.code(), flags, 0, null);
    }

    private static ResultSetMasker masker(MaskPlan plan) {
        return new ResultSetMasker(COLUMNS, plan);
    }

    private static String masked(ByteBuf masked) {
        try {
            return ByteBufUtil.hexDump(masked);
        } finally {
            masked.release();
        }
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    @Test
    void turnsANumberMaskedWithTextIntoAUtf8mb4VarStringKeepingOnlyKeyFlags() {
        ColumnDefinition41Packet id =
                masker(MaskPlan.builder().mask(0, REDACT).build()).columnDefinition(0);

        assertThat(id.type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        assertThat(id.characterSet()).isEqualTo(UTF8MB4);
        assertThat(id.columnLength()).isEqualTo(3);
        assertThat(id.flags()).isEqualTo(PRI_KEY_FLAG);
        assertThat(id.decimals()).isZero();
        assertThat(List.of(id.name(), id.orgName(), id.orgTable())).containsExactly("id", "id", "people");
    }

    @Test
    void keepsTheTypeOfAColumnMaskedToNullButDropsNotNull() {
        ColumnDefinition41Packet ssn =
                masker(MaskPlan.builder().mask(1, NULL).build()).columnDefinition(1);

        assertThat(ssn.type()).contains(ColumnType.MYSQL_TYPE_LONG);
        assertThat(ssn.flags()).isZero();
        assertThat(ssn.columnLength()).isEqualTo(11);
    }

    @Test
    void keepsAStringColumnsTypeAndGrowsItsLengthToFitTheMaskedValues() {
        ColumnDefinition41Packet email =
                masker(MaskPlan.builder().mask(2, HASH).build()).columnDefinition(2);

        assertThat(email.type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        assertThat(email.characterSet()).isEqualTo(UTF8MB4);
        assertThat(email.columnLength()).isEqualTo(64);
    }

    @Test
    void turnsAnEnumColumnIntoAPlainStringSinceTheMaskIsNoMember() {
        ColumnDefinition41Packet grade =
                masker(MaskPlan.builder().mask(4, REDACT).build()).columnDefinition(4);

        assertThat(grade.type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        assertThat(grade.flags() & ENUM_FLAG).isZero();
    }

    @Test
    void leavesUnmaskedColumnDefinitionsAsReceived() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(1, REDACT).build());

        assertThat(masker.columnDefinition(0)).isSameAs(COLUMNS.get(0));
        assertThat(masker.rewritesColumnDefinition(0)).isFalse();
        assertThat(masker.rewritesColumnDefinition(1)).isTrue();
        assertThat(masker.columnDefinitions()).hasSize(5);
    }

    @Test
    void masksTheChosenColumnsOfATextRowAndCopiesTheOthersByteForByte() {
        ResultSetMasker masker = masker(MaskPlan.builder()
                .mask(1, REDACT)
                .mask(3, NULL)
                .mask(2, STRATEGIES.create("email", Map.of()))
                .build());
        // 7 | 123456789 | a@b.c | 2024-02-29 13:14:15 | B
        ByteBuf row = hex("0137 09313233343536373839 0561406 22e63 13323032342d30322d32392031333a31343a3135 0142");

        assertThat(masked(masker.maskTextRow(row))).isEqualTo("0137" + "032a2a2a" + "072a2a2a40622e63" + "fb" + "0142");
        assertThat(row.readerIndex()).as("the caller's payload is untouched").isZero();
        row.release();
    }

    @Test
    void masksAShorterRowAfterALongerOneWithNothingOfTheLongerOneLeft() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(1, REDACT).build());
        // 7 | 123456789 | a@b.c | 2024-02-29 13:14:15 | B, then 8 | 1 | NULL | NULL | NULL
        ByteBuf longer = hex("0137 09313233343536373839 0561406 22e63 13323032342d30322d32392031333a31343a3135 0142");
        ByteBuf shorter = hex("0138 0131 fb fb fb");

        masked(masker.maskTextRow(longer));

        assertThat(masked(masker.maskTextRow(shorter))).isEqualTo("0138" + "032a2a2a" + "fbfbfb");
        longer.release();
        shorter.release();
    }

    @Test
    void refusesATruncatedBinaryRowAfterAFullOneInsteadOfReadingWhatTheFullOneLeft() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(1, REDACT).build());
        ByteBuf full = hex("00 10 07000000 15cd5b07 07e807021d0d0e0f 0142");
        ByteBuf truncated = hex("00 10 07000000 15cd");

        masked(masker.maskBinaryRow(full));

        assertThatThrownBy(() -> masker.maskBinaryRow(truncated)).isInstanceOf(MalformedPacketException.class);
        full.release();
        truncated.release();
    }

    @Test
    void masksARowLargerThanItsHeapCopyWhereTheRowIs() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(2, REDACT).build());
        int gradeLength = ResultSetMasker.COPIED_ROW_BYTES + 10;
        String grade = "fd"
                + String.format("%02x%02x%02x", gradeLength & 0xFF, gradeLength >> 8 & 0xFF, gradeLength >> 16)
                + "42".repeat(gradeLength);
        ByteBuf row = hex("0137 0131 0561406 22e63 fb " + grade);

        assertThat(masked(masker.maskTextRow(row))).isEqualTo("0137" + "0131" + "032a2a2a" + "fb" + grade);
        row.release();
    }

    @Test
    void writesARowWhoseMaskedColumnsAreNullByteForByte() {
        ResultSetMasker masker =
                masker(MaskPlan.builder().mask(1, HASH).mask(2, REDACT).build());
        String payload = "0137fbfb13323032342d30322d32392031333a31343a31350142";

        assertThat(masked(masker.maskTextRow(hex(payload)))).isEqualTo(payload);
    }

    @Test
    void masksABinaryRowSoThatItDecodesWithTheRewrittenDefinitions() {
        ResultSetMasker masker =
                masker(MaskPlan.builder().mask(1, REDACT).mask(3, NULL).build());
        // 7 | 123456789 | NULL (bit 4) | 2024-02-29 13:14:15 | B
        ByteBuf row = hex("00 10 07000000 15cd5b07 07e807021d0d0e0f 0142");

        ByteBuf masked = masker.maskBinaryRow(row);
        BinaryResultsetRow decoded = BinaryResultsetRow.read(masked, new ResultsetColumns(masker.columnDefinitions()));

        assertThat(ByteBufUtil.hexDump(masked)).isEqualTo("00" + "30" + "07000000" + "032a2a2a" + "0142");
        assertThat(new String(decoded.textValue(1), StandardCharsets.UTF_8)).isEqualTo("***");
        assertThat(decoded.isNull(2)).isTrue();
        assertThat(decoded.isNull(3)).isTrue();
        assertThat(new String(decoded.textValue(0), StandardCharsets.UTF_8)).isEqualTo("7");
        masked.release();
        row.release();
    }

    @Test
    void masksTheNullsOfAColumnMaskedWithAStrategyThatMasksNullInATextRow() {
        ResultSetMasker masker = masker(MaskPlan.builder()
                .mask(1, MaskingStrategies.hidingNull(REDACT))
                .mask(2, MaskingStrategies.hidingNull(REDACT))
                .mask(3, REDACT)
                .build());
        // 7 | NULL | a@b.c | NULL | B: the NULL of the redact column that does not mask NULL stays NULL
        ByteBuf row = hex("0137 fb 0561406 22e63 fb 0142");

        assertThat(masked(masker.maskTextRow(row))).isEqualTo("0137" + "032a2a2a" + "032a2a2a" + "fb" + "0142");
        row.release();
    }

    @Test
    void masksTheNullsOfAColumnMaskedWithAStrategyThatMasksNullInABinaryRow() {
        ResultSetMasker masker = masker(MaskPlan.builder()
                .mask(2, MaskingStrategies.hidingNull(REDACT))
                .mask(3, MaskingStrategies.hidingNull(REDACT))
                .mask(1, NULL)
                .build());
        // 7 | 123456789 | NULL (bit 4) | NULL (bit 5) | B
        ByteBuf row = hex("00 30 07000000 15cd5b07 0142");

        ByteBuf masked = masker.maskBinaryRow(row);
        BinaryResultsetRow decoded = BinaryResultsetRow.read(masked, new ResultsetColumns(masker.columnDefinitions()));

        assertThat(ByteBufUtil.hexDump(masked)).isEqualTo("00" + "08" + "07000000" + "032a2a2a" + "032a2a2a" + "0142");
        assertThat(decoded.isNull(1)).as("masked to NULL").isTrue();
        assertThat(new String(decoded.textValue(2), StandardCharsets.UTF_8)).isEqualTo("***");
        assertThat(new String(decoded.textValue(3), StandardCharsets.UTF_8)).isEqualTo("***");
        assertThat(masker.columnDefinition(3).type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        masked.release();
        row.release();
    }

    @Test
    void hashesABinaryNumberAsItsTextSoBothProtocolsMaskAlike() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(1, HASH).build());
        String textRow = masked(masker.maskTextRow(hex("0137 09313233343536373839 fb fb fb")));
        String binaryRow = masked(masker.maskBinaryRow(hex("00 f0 07000000 15cd5b07")));

        assertThat(binaryRow.substring(12)).isEqualTo(textRow.substring(4, 4 + 130));
    }

    @Test
    void refusesARowThatDoesNotMatchTheColumnDefinitions() {
        ResultSetMasker masker = masker(MaskPlan.builder().mask(1, REDACT).build());

        assertThatThrownBy(() -> masker.maskTextRow(hex("0137 0131"))).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void refusesAnEmptyPlanBecauseSuchResultSetsPassThrough() {
        assertThatThrownBy(() -> masker(MaskPlan.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a plan that masks at least one column");
    }

    @Test
    void refusesAPlanForAColumnTheResultSetDoesNotHave() {
        assertThatThrownBy(() -> masker(MaskPlan.builder().mask(5, REDACT).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask plan names column 5 but the result set has 5 columns");
    }
}
