package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.TableAccess;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.ComStmtFetchPacket;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.ComStmtResetPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.transport.masking.MaskingResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which responses of a session are masked, and with which masking. */
class MaskingSessionTest {

    private static final String SQL = "SELECT ssn FROM people";
    private static final long CAPABILITIES = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;

    /** Masks nothing in fact, but counts the plans it was asked for. */
    private static class CountingMasking implements ResponseMasking {
        int plansAsked;

        @Override
        public boolean masksAnything() {
            return true;
        }

        @Override
        public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
            plansAsked++;
            return MaskPlan.none();
        }
    }

    private final PreparedStatements prepared = new PreparedStatements();
    private final MaskingSession session =
            new MaskingSession(prepared, UnpooledByteBufAllocator.DEFAULT, MySQLFrame::release);

    private static ByteBuf bytes(MySQLPacket packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return buffer;
    }

    private static GateResult.Proceed proceed(ResponseMasking masking, StatementFacts... statements) {
        return new GateResult.Proceed(List.of(statements), List.of(), masking);
    }

    private static StatementFacts readingTable(String sql) {
        return StatementFacts.builder()
                .sql(sql)
                .type(StatementType.SELECT)
                .parsed(true)
                .table("appdb", "people", TableAccess.READ)
                .build();
    }

    private MaskingResponse query(String sql, GateResult.Proceed proceed) {
        return session.begin(bytes(new ComQueryPacket(sql)), CommandType.COM_QUERY, proceed);
    }

    /** A query whose response passed through (or not) and ended. */
    private void ran(String sql, GateResult.Proceed proceed) {
        query(sql, proceed);
        session.end(true);
    }

    /** A PREPARE of statement 7 allowed with {@code masking}, its PREPARE_OK relayed. */
    private void prepare(ResponseMasking masking) {
        ByteBuf command = bytes(new ComStmtPreparePacket(SQL));
        prepared.inspect(command);
        GateResult.Proceed verdict = proceed(masking);
        MaskingResponse response = session.begin(command, CommandType.COM_STMT_PREPARE, verdict);
        prepared.preparing(SQL, verdict);
        prepared.forwarded(command);
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_PREPARE, CAPABILITIES);
        for (MySQLFrame frame : List.of(
                MySQLFrame.fromPacket(new ComStmtPrepareOkPacket(7, 1, 0, 0), 1, UnpooledByteBufAllocator.DEFAULT),
                MySQLFrame.fromPacket(SSN_DEFINITION, 2, UnpooledByteBufAllocator.DEFAULT))) {
            PacketRole role = tracker.accept(frame.payload());
            prepared.onResponse(role, frame.payload());
            if (response == null) {
                frame.release();
            } else {
                response.relay(role, frame);
            }
        }
        session.end(true);
    }

    /** The one column of the statement's result sets, as its PREPARE describes it and each EXECUTE too. */
    private static final ColumnDefinition41Packet SSN_DEFINITION = new ColumnDefinition41Packet(
            "def",
            "appdb",
            "people",
            "people",
            "ssn",
            "ssn",
            45,
            44,
            ColumnType.MYSQL_TYPE_VAR_STRING.code(),
            0,
            0,
            null);

    private MaskingResponse execute(GateResult.Proceed proceed) {
        return session.begin(
                bytes(new ComStmtExecutePacket(7, ComStmtExecutePacket.CURSOR_TYPE_READ_ONLY, 1, new byte[0])),
                CommandType.COM_STMT_EXECUTE,
                proceed);
    }

    private MaskingResponse fetch() {
        return session.begin(bytes(new ComStmtFetchPacket(7, 10)), CommandType.COM_STMT_FETCH, null);
    }

    /** Relays a one-column result set through {@code response}, so that it asks for the result set's plan. */
    private static void relayResultSet(MaskingResponse response) {
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, CAPABILITIES);
        UnpooledByteBufAllocator allocator = UnpooledByteBufAllocator.DEFAULT;
        for (MySQLFrame frame : List.of(
                new MySQLFrame(1, 1, Unpooled.wrappedBuffer(new byte[] {1})),
                MySQLFrame.fromPacket(SSN_DEFINITION, 2, allocator),
                MySQLFrame.fromPacket(new OkPacket(OkPacket.EOF_HEADER, 0, 0, 2, 0, "", new byte[0]), 3, allocator))) {
            response.relay(tracker.accept(frame.payload()), frame);
        }
    }

    @Test
    void letsEveryResponseOfASessionThatNeverMaskedPassUntouched() {
        prepare(ResponseMasking.NONE);

        assertThat(query("SHOW WARNINGS", proceed(ResponseMasking.NONE))).isNull();
        assertThat(execute(null)).isNull();
    }

    @Test
    void masksTheResponseOfACommandWhoseDecisionMasks() {
        assertThat(query(SQL, proceed(new CountingMasking()))).isNotNull();
    }

    @Test
    void withholdsShowWarningsAfterAMaskedResponse() {
        ran(SQL, proceed(new CountingMasking()));

        assertThat(query("SHOW WARNINGS", proceed(ResponseMasking.NONE))).isNotNull();
    }

    @Test
    void withholdsShowWarningsAfterAMaskedResponseTheGatewayCutShort() {
        query(SQL, proceed(new CountingMasking()));
        session.cutShort();
        session.end(false);

        assertThat(query("SHOW WARNINGS", proceed(ResponseMasking.NONE))).isNotNull();
    }

    @Test
    void keepsWithholdingShowWarningsAfterAStatementThatReadsNoTable() {
        ran(SQL, proceed(new CountingMasking()));
        ran(
                "SELECT 1",
                proceed(
                        ResponseMasking.NONE,
                        StatementFacts.builder()
                                .sql("SELECT 1")
                                .type(StatementType.SELECT)
                                .build()));
        ran("SHOW WARNINGS", proceed(ResponseMasking.NONE));

        assertThat(query("SHOW ERRORS", proceed(ResponseMasking.NONE))).isNotNull();
    }

    @Test
    void stopsWithholdingShowWarningsOnceAnUnmaskedStatementReadAndSucceeded() {
        ran(SQL, proceed(new CountingMasking()));
        ran("SELECT name FROM people", proceed(ResponseMasking.NONE, readingTable("SELECT name FROM people")));

        assertThat(query("SHOW WARNINGS", proceed(ResponseMasking.NONE))).isNull();
    }

    @Test
    void keepsWithholdingShowWarningsWhenTheStatementReadingATableFailed() {
        ran(SQL, proceed(new CountingMasking()));
        GateResult.Proceed unmasked = proceed(ResponseMasking.NONE, readingTable("SELECT name FROM people"));
        query("SELECT name FROM people", unmasked);
        session.end(false);

        assertThat(query("SHOW WARNINGS", proceed(ResponseMasking.NONE))).isNotNull();
    }

    @Test
    void withholdsTheExecuteOfAPreparedShowWarningsAfterAMaskedResponse() {
        ByteBuf command = bytes(new ComStmtPreparePacket("SHOW WARNINGS"));
        prepared.inspect(command);
        prepared.preparing("SHOW WARNINGS", proceed(ResponseMasking.NONE));
        prepared.forwarded(command);
        prepared.onResponse(PacketRole.PREPARE_OK, bytes(new ComStmtPrepareOkPacket(7, 3, 0, 0)));
        ran(SQL, proceed(new CountingMasking()));

        assertThat(execute(null)).isNotNull();
    }

    @Test
    void masksEveryExecuteWithTheMaskingOfItsPrepare() {
        CountingMasking atPrepare = new CountingMasking();
        prepare(atPrepare);

        MaskingResponse first = execute(null);
        relayResultSet(first);
        MaskingResponse second = execute(null);
        relayResultSet(second);

        assertThat(List.of(first, second)).doesNotContainNull();
        assertThat(atPrepare.plansAsked)
                .as("the PREPARE's definitions and both EXECUTEs' are alike: planned once, at the PREPARE")
                .isEqualTo(1);
    }

    @Test
    void anExecuteWhoseResultDescribesOtherColumnsThanItsPrepareDidIsPlannedAsUnattributable() {
        List<Integer> asked = new ArrayList<>();
        prepare(new CountingMasking() {
            @Override
            public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
                asked.add(resultIndex);
                return MaskPlan.builder()
                        .mask(0, MaskingStrategies.builtInWithoutHash().create("redact", Map.of()))
                        .build();
            }
        });
        MaskingResponse response = session.begin(
                bytes(new ComStmtExecutePacket(7, ComStmtExecutePacket.CURSOR_TYPE_NO_CURSOR, 1, new byte[0])),
                CommandType.COM_STMT_EXECUTE,
                null);
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, CAPABILITIES);
        ColumnDefinition41Packet becameAnExpression = new ColumnDefinition41Packet(
                "def",
                "",
                "people",
                "people",
                "ssn",
                "ssn",
                45,
                368,
                ColumnType.MYSQL_TYPE_VAR_STRING.code(),
                0,
                0,
                null);
        for (MySQLFrame frame : List.of(
                new MySQLFrame(1, 1, Unpooled.wrappedBuffer(new byte[] {1})),
                MySQLFrame.fromPacket(becameAnExpression, 2, UnpooledByteBufAllocator.DEFAULT))) {
            response.relay(tracker.accept(frame.payload()), frame);
        }

        assertThat(asked).containsExactly(0, ResponseMasking.UNATTRIBUTABLE);
    }

    @Test
    void asksBothTheExecutesOwnMaskingAndThePreparesOne() {
        CountingMasking atPrepare = new CountingMasking();
        CountingMasking atExecute = new CountingMasking();
        prepare(atPrepare);

        relayResultSet(execute(proceed(atExecute)));

        assertThat(List.of(atExecute.plansAsked, atPrepare.plansAsked))
                .as("the PREPARE's plan is asked at PREPARE too")
                .containsExactly(1, 2);
    }

    @Test
    void masksTheExecuteOfAStatementPreparedWithoutMasksWhenItsOwnDecisionMasks() {
        prepare(ResponseMasking.NONE);
        CountingMasking atExecute = new CountingMasking();

        relayResultSet(execute(proceed(atExecute)));

        assertThat(atExecute.plansAsked).isEqualTo(1);
    }

    @Test
    void masksTheRowsFetchedFromTheCursorOfAMaskedExecute() {
        prepare(ResponseMasking.NONE);
        execute(proceed(new CountingMasking()));
        session.end(true);

        assertThat(fetch()).isNotNull();
    }

    @Test
    void forgetsTheCursorOfAStatementOnceItIsReset() {
        prepare(new CountingMasking());
        execute(null);
        session.end(true);

        prepared.forwarded(bytes(new ComStmtResetPacket(7)));

        assertThat(fetch()).isNull();
    }

    @Test
    void forgetsTheCursorOfAStatementWhenItIsExecutedAgainWithoutMasks() {
        prepare(ResponseMasking.NONE);
        execute(proceed(new CountingMasking()));
        session.end(true);
        execute(null);
        session.end(true);

        assertThat(fetch()).isNull();
    }
}
