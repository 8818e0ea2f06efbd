package dev.agentgate.protocol;

import static dev.agentgate.protocol.ResultsetRowTestSupport.hex;
import static dev.agentgate.protocol.ResultsetRowTestSupport.hexOf;
import static dev.agentgate.protocol.ResultsetRowTestSupport.text;
import static dev.agentgate.protocol.ResultsetRowTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class TextResultsetRowTest {

    @Test
    void readsLengthEncodedValuesAndNull() {
        TextResultsetRow row = TextResultsetRow.read(hex("023432 fb 056368c3a472"), 3);

        assertThat(text(row.textValue(0))).isEqualTo("42");
        assertThat(row.isNull(1)).isTrue();
        assertThat(row.textValue(1)).isNull();
        assertThat(text(row.textValue(2))).isEqualTo("chär");
    }

    @Test
    void writesAnUnchangedRowBackByteForByteEvenWithANonMinimalLengthPrefix() {
        String payload = "fc0300616263 fb 00";

        assertThat(hexOf(TextResultsetRow.read(hex(payload), 3))).isEqualTo(payload.replace(" ", ""));
    }

    @Test
    void readsValuesWithTwoAndThreeByteLengthPrefixes() {
        ByteBuf payload = Unpooled.buffer();
        MySQLPayload writer = new MySQLPayload(payload);
        writer.writeBytesLenenc(new byte[300]);
        writer.writeBytesLenenc(new byte[70_000]);
        byte[] original = ByteBufUtil.getBytes(payload);

        TextResultsetRow row = TextResultsetRow.read(payload, 2);

        assertThat(row.textValue(0)).hasSize(300);
        assertThat(row.textValue(1)).hasSize(70_000);
        assertThat(hexOf(row)).isEqualTo(ByteBufUtil.hexDump(original));
    }

    @Test
    void writesReplacementsAndCopiesTheOtherColumnsUnchanged() {
        TextResultsetRow row = TextResultsetRow.read(hex("0131 0b3132332d34352d36373839 fb 0178"), 4);

        row.replace(1, utf8("***"));
        row.replace(2, utf8("now set"));
        row.replace(3, null);

        assertThat(hexOf(row)).isEqualTo("0131" + "032a2a2a" + "076e6f7720736574" + "fb");
    }

    @Test
    void writesTheSameBytesAfterWhatABufferHoldsWhetherItIsOnTheHeapOrDirect() {
        TextResultsetRow row = TextResultsetRow.read(hex("0131 0b3132332d34352d36373839 fb"), 3);
        row.replace(1, utf8("***"));
        ByteBuf heapSlice = Unpooled.buffer(16).writeZero(3).slice(1, 12).writerIndex(2);
        ByteBuf direct = Unpooled.directBuffer(4).writeShort(0xABCD);
        try {
            row.write(heapSlice);
            row.write(direct);

            assertThat(ByteBufUtil.hexDump(heapSlice)).isEqualTo("0000" + "0131" + "032a2a2a" + "fb");
            assertThat(ByteBufUtil.hexDump(direct)).isEqualTo("abcd" + "0131" + "032a2a2a" + "fb");
        } finally {
            heapSlice.release();
            direct.release();
        }
    }

    @Test
    void leavesThePayloadsReaderIndexWhereItWas() {
        ByteBuf payload = hex("ff 023432");
        payload.readerIndex(1);

        TextResultsetRow row = TextResultsetRow.read(payload, 1);

        assertThat(text(row.textValue(0))).isEqualTo("42");
        assertThat(payload.readerIndex()).isOne();
        assertThat(hexOf(row)).isEqualTo("023432");
    }

    @Test
    void refusesARowWithFewerColumnsThanTheResultSet() {
        assertThatThrownBy(() -> TextResultsetRow.read(hex("023432"), 2))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("int<1>: needs 1 bytes, only 0 left");
    }

    @Test
    void refusesARowWithMoreColumnsThanTheResultSet() {
        assertThatThrownBy(() -> TextResultsetRow.read(hex("023432 0131"), 1))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("text resultset row: 2 bytes left after the last of 1 columns");
    }

    @Test
    void refusesAValueLongerThanTheRow() {
        assertThatThrownBy(() -> TextResultsetRow.read(hex("053432"), 1))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("string<lenenc>: length 5 exceeds the 2 bytes left");
    }

    @Test
    void refusesReplacingAColumnTheRowDoesNotHave() {
        TextResultsetRow row = TextResultsetRow.read(hex("023432"), 1);

        assertThatThrownBy(() -> row.replace(1, null))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("column 1 is not among the row's 1 columns");
    }
}
