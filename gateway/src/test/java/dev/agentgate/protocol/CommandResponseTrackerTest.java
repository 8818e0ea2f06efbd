package dev.agentgate.protocol;

import static dev.agentgate.protocol.PacketRole.BINARY_ROW;
import static dev.agentgate.protocol.PacketRole.COLUMN_COUNT;
import static dev.agentgate.protocol.PacketRole.COLUMN_DEFINITION;
import static dev.agentgate.protocol.PacketRole.ERR;
import static dev.agentgate.protocol.PacketRole.FIELD_LIST_END;
import static dev.agentgate.protocol.PacketRole.LOCAL_INFILE_REQUEST;
import static dev.agentgate.protocol.PacketRole.METADATA_EOF;
import static dev.agentgate.protocol.PacketRole.OK;
import static dev.agentgate.protocol.PacketRole.PARAMETER_DEFINITION;
import static dev.agentgate.protocol.PacketRole.PREPARE_OK;
import static dev.agentgate.protocol.PacketRole.RESULTSET_END;
import static dev.agentgate.protocol.PacketRole.STATISTICS;
import static dev.agentgate.protocol.PacketRole.TEXT_ROW;
import static dev.agentgate.protocol.ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS;
import static dev.agentgate.protocol.ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT;
import static dev.agentgate.protocol.ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS;
import static dev.agentgate.protocol.ServerStatusFlags.SERVER_STATUS_IN_TRANS;
import static dev.agentgate.protocol.ServerStatusFlags.SERVER_STATUS_LAST_ROW_SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CommandResponseTrackerTest {

    private static final long CLASSIC = CapabilityFlags.CLIENT_PROTOCOL_41;
    private static final long DEPRECATE_EOF = CLASSIC | CapabilityFlags.CLIENT_DEPRECATE_EOF;

    private static ByteBuf packet(Consumer<MySQLPayload> writer) {
        return PacketTestSupport.payload(writer);
    }

    private static ByteBuf ok(int status) {
        return packet(OkPacket.of(0, 0, status, 0)::write);
    }

    private static ByteBuf okEnd(int status) {
        return packet(new OkPacket(OkPacket.EOF_HEADER, 0, 0, status, 0, "", new byte[0])::write);
    }

    private static ByteBuf eof(int status) {
        return packet(new EofPacket(0, status)::write);
    }

    private static ByteBuf err() {
        return packet(ErrPacket.of(MySQLErrorCode.ER_QUERY_INTERRUPTED)::write);
    }

    private static ByteBuf columnCount(int count) {
        return packet(p -> p.writeIntLenenc(count));
    }

    private static ByteBuf column() {
        return packet(new ColumnDefinition41Packet(
                "def", "s", "t", "t", "c", "c", 255, 10, ColumnType.MYSQL_TYPE_VAR_STRING.code(), 0, 0, null)::write);
    }

    private static ByteBuf textRow() {
        return packet(p -> p.writeStringLenenc("value"));
    }

    private static ByteBuf binaryRow() {
        return packet(p -> {
            p.writeInt1(0x00);
            p.writeInt1(0x00);
            p.writeStringLenenc("value");
        });
    }

    private static ByteBuf prepareOk(int columns, int params) {
        return packet(new ComStmtPrepareOkPacket(1, columns, params, 0)::write);
    }

    /** Feeds the packets in order, checks none was consumed, releases them and returns their roles. */
    private static List<PacketRole> feed(CommandResponseTracker tracker, ByteBuf... packets) {
        List<PacketRole> roles = new ArrayList<>();
        try {
            for (ByteBuf packet : packets) {
                int readable = packet.readableBytes();
                roles.add(tracker.accept(packet));
                assertThat(packet.readableBytes()).as("payload left unconsumed").isEqualTo(readable);
            }
        } finally {
            for (ByteBuf packet : packets) {
                packet.release();
            }
        }
        return roles;
    }

    @Test
    void followsATextResultSetWithMetadataAndFinalEofPackets() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThat(feed(tracker, columnCount(2), column(), column(), eof(SERVER_STATUS_AUTOCOMMIT), textRow()))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, COLUMN_DEFINITION, METADATA_EOF, TEXT_ROW);
        assertThat(tracker.isComplete()).isFalse();
        assertThat(feed(tracker, textRow(), eof(SERVER_STATUS_IN_TRANS))).containsExactly(TEXT_ROW, RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
        assertThat(tracker.lastStatusFlags()).hasValue(SERVER_STATUS_IN_TRANS);
    }

    @Test
    void followsATextResultSetEndedByAnOkPacketUnderDeprecateEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, DEPRECATE_EOF);

        assertThat(feed(
                        tracker,
                        columnCount(2),
                        column(),
                        column(),
                        textRow(),
                        textRow(),
                        okEnd(SERVER_STATUS_AUTOCOMMIT)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, COLUMN_DEFINITION, TEXT_ROW, TEXT_ROW, RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
        assertThat(tracker.lastStatusFlags()).hasValue(SERVER_STATUS_AUTOCOMMIT);
    }

    @Test
    void treatsA16MibRowStartingWith0xFeAsARowUnderDeprecateEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, DEPRECATE_EOF);
        feed(tracker, columnCount(1), column());
        ByteBuf hugeRow =
                Unpooled.buffer(MySQLFrame.MAX_CHUNK_LENGTH).writeByte(0xFE).writeZero(MySQLFrame.MAX_CHUNK_LENGTH - 1);

        assertThat(feed(tracker, hugeRow)).containsExactly(TEXT_ROW);
        assertThat(tracker.isComplete()).isFalse();
    }

    @Test
    void staysOpenAcrossMultipleResultsUntilOneEndsWithoutMoreResultsExists() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThat(feed(
                        tracker,
                        columnCount(1),
                        column(),
                        eof(0),
                        textRow(),
                        eof(SERVER_MORE_RESULTS_EXISTS),
                        ok(SERVER_MORE_RESULTS_EXISTS),
                        columnCount(1),
                        column(),
                        eof(0)))
                .containsExactly(
                        COLUMN_COUNT,
                        COLUMN_DEFINITION,
                        METADATA_EOF,
                        TEXT_ROW,
                        RESULTSET_END,
                        OK,
                        COLUMN_COUNT,
                        COLUMN_DEFINITION,
                        METADATA_EOF);
        assertThat(tracker.isComplete()).isFalse();
        assertThat(feed(tracker, eof(SERVER_STATUS_AUTOCOMMIT))).containsExactly(RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAChainOfOkPacketsWithMoreResultsExists() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, DEPRECATE_EOF);

        assertThat(feed(tracker, ok(SERVER_MORE_RESULTS_EXISTS), ok(SERVER_MORE_RESULTS_EXISTS)))
                .containsExactly(OK, OK);
        assertThat(tracker.isComplete()).isFalse();
        assertThat(feed(tracker, ok(SERVER_STATUS_IN_TRANS))).containsExactly(OK);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void endsAMultiStatementResponseAtAnErrorAfterEarlierResults() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThat(feed(tracker, ok(SERVER_MORE_RESULTS_EXISTS), err())).containsExactly(OK, ERR);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAnEmptyResultSetInBothEofModes() {
        CommandResponseTracker classic = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);
        CommandResponseTracker deprecated = new CommandResponseTracker(CommandType.COM_QUERY, DEPRECATE_EOF);

        assertThat(feed(classic, columnCount(1), column(), eof(0), eof(0)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, METADATA_EOF, RESULTSET_END);
        assertThat(feed(deprecated, columnCount(1), column(), okEnd(0)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, RESULTSET_END);
        assertThat(classic.isComplete()).isTrue();
        assertThat(deprecated.isComplete()).isTrue();
    }

    @Test
    void endsTheResponseAtAnErrorBetweenRows() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThat(feed(tracker, columnCount(1), column(), eof(0), textRow(), err()))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, METADATA_EOF, TEXT_ROW, ERR);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void recognisesALocalInfileRequestAndTheFinalOk() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThat(feed(tracker, packet(p -> {
                    p.writeInt1(0xFB);
                    p.writeStringEof("/tmp/data.csv");
                })))
                .containsExactly(LOCAL_INFILE_REQUEST);
        assertThat(tracker.isComplete()).isFalse();
        assertThat(feed(tracker, ok(0))).containsExactly(OK);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAPrepareWithParametersAndColumnsIncludingTheirEofPackets() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CLASSIC);

        assertThat(feed(tracker, prepareOk(1, 2), column(), column(), eof(0), column(), eof(0)))
                .containsExactly(
                        PREPARE_OK,
                        PARAMETER_DEFINITION,
                        PARAMETER_DEFINITION,
                        METADATA_EOF,
                        COLUMN_DEFINITION,
                        METADATA_EOF);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAPrepareWithParametersAndColumnsUnderDeprecateEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, DEPRECATE_EOF);

        assertThat(feed(tracker, prepareOk(2, 1), column(), column()))
                .containsExactly(PREPARE_OK, PARAMETER_DEFINITION, COLUMN_DEFINITION);
        assertThat(tracker.isComplete()).isFalse();
        assertThat(feed(tracker, column())).containsExactly(COLUMN_DEFINITION);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAPrepareWithoutParametersWhoseColumnsAloneHaveAnEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CLASSIC);

        assertThat(feed(tracker, prepareOk(1, 0), column(), eof(0)))
                .containsExactly(PREPARE_OK, COLUMN_DEFINITION, METADATA_EOF);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void completesAPrepareWithoutParametersOrColumnsAtItsPrepareOk() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CLASSIC);

        assertThat(feed(tracker, prepareOk(0, 0))).containsExactly(PREPARE_OK);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void endsAFailedPrepareAtItsError() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CLASSIC);

        assertThat(feed(tracker, err())).containsExactly(ERR);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAnExecuteWithBinaryRows() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, CLASSIC);

        assertThat(feed(tracker, columnCount(1), column(), eof(0), binaryRow(), eof(0)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, METADATA_EOF, BINARY_ROW, RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void refusesABinaryRowWithoutItsZeroHeaderNamingTheState() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, DEPRECATE_EOF);
        feed(tracker, columnCount(1), column());
        ByteBuf textRow = textRow();

        assertThatThrownBy(() -> tracker.accept(textRow))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("COM_STMT_EXECUTE response: unexpected binary row header 0x05 (6 bytes) in state ROWS");
        textRow.release();
    }

    @Test
    void completesAnExecuteThatOpenedACursorAtTheMetadataEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, CLASSIC, true);

        assertThat(feed(tracker, columnCount(1), column(), eof(SERVER_STATUS_CURSOR_EXISTS)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, METADATA_EOF);
        assertThat(tracker.isComplete()).isTrue();
        assertThat(tracker.lastStatusFlags()).hasValue(SERVER_STATUS_CURSOR_EXISTS);
    }

    @Test
    void completesAnExecuteThatOpenedACursorAtThe0xFePacketAfterTheColumnsUnderDeprecateEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, DEPRECATE_EOF, true);

        assertThat(feed(tracker, columnCount(1), column(), okEnd(SERVER_STATUS_CURSOR_EXISTS)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void readsRowsWhenTheServerOpenedNoCursorDespiteTheRequest() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, CLASSIC, true);

        assertThat(feed(tracker, columnCount(1), column(), eof(0), binaryRow(), eof(0)))
                .containsExactly(COLUMN_COUNT, COLUMN_DEFINITION, METADATA_EOF, BINARY_ROW, RESULTSET_END);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void followsAFetchOfBinaryRowsInBothEofModes() {
        CommandResponseTracker classic = new CommandResponseTracker(CommandType.COM_STMT_FETCH, CLASSIC);
        CommandResponseTracker deprecated = new CommandResponseTracker(CommandType.COM_STMT_FETCH, DEPRECATE_EOF);
        int lastRowSent = SERVER_STATUS_CURSOR_EXISTS | SERVER_STATUS_LAST_ROW_SENT;

        assertThat(feed(classic, binaryRow(), binaryRow(), eof(lastRowSent)))
                .containsExactly(BINARY_ROW, BINARY_ROW, RESULTSET_END);
        assertThat(feed(deprecated, binaryRow(), okEnd(SERVER_STATUS_CURSOR_EXISTS)))
                .containsExactly(BINARY_ROW, RESULTSET_END);
        assertThat(classic.isComplete()).isTrue();
        assertThat(deprecated.isComplete()).isTrue();
    }

    @Test
    void followsAFieldListUntilItsEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_FIELD_LIST, CLASSIC);

        assertThat(feed(tracker, column(), column(), eof(0)))
                .containsExactly(COLUMN_DEFINITION, COLUMN_DEFINITION, FIELD_LIST_END);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void endsAFieldListForAnUnknownTableAtItsError() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_FIELD_LIST, DEPRECATE_EOF);

        assertThat(feed(tracker, err())).containsExactly(ERR);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void completesStatisticsAfterItsOneStringPacket() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STATISTICS, CLASSIC);

        assertThat(feed(tracker, packet(p -> p.writeStringEof("Uptime: 42  Threads: 1"))))
                .containsExactly(STATISTICS);
        assertThat(tracker.isComplete()).isTrue();
    }

    @Test
    void completesSetOptionAtItsEof() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_SET_OPTION, CLASSIC);

        assertThat(feed(tracker, eof(SERVER_STATUS_AUTOCOMMIT))).containsExactly(PacketRole.EOF);
        assertThat(tracker.isComplete()).isTrue();
        assertThat(tracker.lastStatusFlags()).hasValue(SERVER_STATUS_AUTOCOMMIT);
    }

    @Test
    void completesASimpleCommandAtItsOkAndExposesItsStatus() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_PING, CLASSIC);
        assertThat(tracker.lastStatusFlags()).isEmpty();

        assertThat(feed(tracker, ok(SERVER_STATUS_IN_TRANS | SERVER_MORE_RESULTS_EXISTS)))
                .containsExactly(OK);
        assertThat(tracker.isComplete()).isTrue();
        assertThat(tracker.lastStatusFlags()).hasValue(SERVER_STATUS_IN_TRANS | SERVER_MORE_RESULTS_EXISTS);
    }

    @Test
    void refusesAnEofWhereOnlyOkOrErrMayComeNamingTheState() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_INIT_DB, CLASSIC);
        ByteBuf eof = eof(0);

        assertThatThrownBy(() -> tracker.accept(eof))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("COM_INIT_DB response: unexpected packet 0xfe (5 bytes) in state OK_OR_ERR");
        eof.release();
    }

    @Test
    void completesCommandsWithoutResponseAtOnceAndRefusesAnyPacketAfterwards() {
        for (CommandType command :
                List.of(CommandType.COM_STMT_CLOSE, CommandType.COM_STMT_SEND_LONG_DATA, CommandType.COM_QUIT)) {
            assertThat(new CommandResponseTracker(command, CLASSIC).isComplete())
                    .as(command.name())
                    .isTrue();
        }
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_CLOSE, CLASSIC);
        ByteBuf ok = ok(0);

        assertThatThrownBy(() -> tracker.accept(ok))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("in state COMPLETE");
        ok.release();
    }

    @Test
    void refusesAnEmptyPacket() {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, CLASSIC);

        assertThatThrownBy(() -> tracker.accept(Unpooled.EMPTY_BUFFER))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("COM_QUERY response: unexpected empty packet (0 bytes) in state RESULT_START");
    }
}
