package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.masking.LineageMasking;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.enforcement.masking.StatementMasks;
import dev.agentgate.policy.Decision;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ComStmtClosePacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.ComStmtResetPacket;
import dev.agentgate.protocol.ComStmtSendLongDataPacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ParameterType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-session registry of prepared statements that lets the policy decide each EXECUTE again. */
class PreparedStatementsTest {

    private static final String SQL = "SELECT name FROM items WHERE id = ?";
    private static final StatementFacts FACTS = StatementFacts.builder()
            .sql(SQL)
            .type(StatementType.SELECT)
            .parsed(true)
            .build();
    private static final ParameterType LONGLONG = new ParameterType(ColumnType.MYSQL_TYPE_LONGLONG, false);
    private static final ParameterType BLOB = new ParameterType(ColumnType.MYSQL_TYPE_BLOB, false);

    private final PreparedStatements statements = new PreparedStatements();

    private static ByteBuf bytes(MySQLPacket packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return buffer;
    }

    private static GateResult.Proceed allowed(boolean reask) {
        Decision allow = new Decision.Allow(
                "test: prepare",
                Optional.empty(),
                Decision.Obligations.NONE,
                new Decision.Caching(Duration.ZERO, false, reask));
        return new GateResult.Proceed(List.of(FACTS), List.of(allow));
    }

    /** A PREPARE the policy allowed, its command forwarded and its PREPARE_OK relayed. */
    private void prepare(int statementId, int numParams, boolean reask) {
        ByteBuf command = bytes(new ComStmtPreparePacket(SQL));
        assertThat(statements.inspect(command)).isNull();
        statements.preparing(SQL, allowed(reask));
        statements.forwarded(command);
        statements.onResponse(PacketRole.PREPARE_OK, bytes(new ComStmtPrepareOkPacket(statementId, 1, numParams, 0)));
    }

    /** An execute of one parameter, with (types) or without (no types) new-params-bound. */
    private static ByteBuf execute(int statementId, ParameterType type, String valueHex) {
        String header = type == null
                ? "00 00"
                : "00 01 " + String.format("%02x%02x", type.type().code(), 0);
        return bytes(new ComStmtExecutePacket(
                statementId, 0, 1, ByteBufUtil.decodeHexDump((header + valueHex).replace(" ", ""))));
    }

    @Test
    void registersAStatementFromItsPrepareOkWithTheVerdictOfItsPrepare() {
        prepare(7, 1, true);

        PreparedStatements.Statement statement = statements.find(7);
        assertThat(statement.sql).isEqualTo(SQL);
        assertThat(statement.facts).containsExactly(FACTS);
        assertThat(statement.numParams).isEqualTo(1);
        assertThat(statement.reaskOnExecute).isTrue();
    }

    @Test
    void asksAgainAtExecuteWithTheBoundValuesAndThePreparedFacts() {
        prepare(7, 1, true);

        PreparedStatements.Execution execution = statements.inspect(execute(7, LONGLONG, "2a00000000000000"));

        assertThat(execution.refusal()).isNull();
        assertThat(execution.question().type()).isEqualTo("execute");
        assertThat(execution.question().command())
                .containsEntry("statement_id", 7L)
                .containsEntry("parameters", List.of(42L));
        assertThat(execution.statement().facts).containsExactly(FACTS);
    }

    @Test
    void letsExecutesOfStatementsWithoutReaskAndOfUnknownStatementsPass() {
        prepare(7, 1, false);

        assertThat(statements.inspect(execute(7, LONGLONG, "2a00000000000000"))).isNull();
        assertThat(statements.inspect(execute(8, LONGLONG, "2a00000000000000"))).isNull();
    }

    @Test
    void checksTheViewsAStatementsMaskingRestsOnBeforeEachExecuteWithoutDecodingItsValues() {
        CatalogTable view =
                CatalogTable.view("shop", "nameplate", List.of("label"), "SELECT name AS label FROM shop.customers");
        ResponseMasking masking = new LineageMasking(
                List.of(StatementMasks.unmasked(true)), new MaskingRules(null).defaultRedact(), Set.of(view));
        ByteBuf command = bytes(new ComStmtPreparePacket(SQL));
        statements.inspect(command);
        statements.preparing(
                SQL, new GateResult.Proceed(List.of(FACTS), allowed(false).decisions(), masking));
        statements.forwarded(command);
        statements.onResponse(PacketRole.PREPARE_OK, bytes(new ComStmtPrepareOkPacket(7, 1, 1, 0)));

        PreparedStatements.Execution execution = statements.inspect(execute(7, LONGLONG, "2a00000000000000"));

        assertThat(execution.parameters())
                .as("a view check, not a decision with bound values")
                .isNull();
        assertThat(execution.refusal()).isNull();
        assertThat(execution.statement().masking.viewsRead()).containsExactly(view);
    }

    @Test
    void remembersTheBoundTypesOnlyOnceTheExecuteReachedTheBackend() {
        prepare(7, 1, true);
        ByteBuf withTypes = execute(7, LONGLONG, "0100000000000000");
        statements.inspect(withTypes);
        assertThat(statements.find(7).lastTypes).as("not yet forwarded").isEmpty();

        statements.forwarded(withTypes);

        assertThat(statements.find(7).lastTypes).containsExactly(LONGLONG);
        assertThat(statements
                        .inspect(execute(7, null, "2a00000000000000"))
                        .question()
                        .command())
                .containsEntry("parameters", List.of(42L));
    }

    @Test
    void takesTheValueOfALongDataParameterFromTheChunksAndDropsThemAfterTheExecute() {
        prepare(7, 1, true);
        statements.forwarded(bytes(new ComStmtSendLongDataPacket(7, 0, new byte[] {1, 2})));
        statements.forwarded(bytes(new ComStmtSendLongDataPacket(7, 0, new byte[] {3})));

        ByteBuf executeWithLongData = execute(7, BLOB, "");
        assertThat(statements.inspect(executeWithLongData).question().command())
                .containsEntry("parameters", List.of("AQID"));
        statements.forwarded(executeWithLongData);

        assertThat(statements.find(7).longData).isEmpty();
    }

    @Test
    void dropsLongDataOnStmtReset() {
        prepare(7, 1, true);
        statements.forwarded(bytes(new ComStmtSendLongDataPacket(7, 0, new byte[] {1})));

        statements.forwarded(bytes(new ComStmtResetPacket(7)));

        assertThat(statements.find(7).longData).isEmpty();
    }

    @Test
    void forgetsAStatementOnCloseAndAllOnResetConnection() {
        prepare(7, 1, true);
        prepare(8, 1, true);

        statements.forwarded(bytes(new ComStmtClosePacket(7)));
        assertThat(statements.find(7)).isNull();
        assertThat(statements.find(8)).isNotNull();

        statements.forwarded(Unpooled.wrappedBuffer(new byte[] {(byte) CommandType.COM_RESET_CONNECTION.code()}));
        assertThat(statements.find(8)).isNull();
    }

    @Test
    void resolvesTheLastPreparedStatementIdOfAPipelinedExecute() {
        prepare(7, 1, true);

        PreparedStatements.Execution execution =
                statements.inspect(execute(PreparedStatements.LAST_PREPARED, LONGLONG, "2a00000000000000"));

        assertThat(execution.statement().id).isEqualTo(7);
    }

    @Test
    void refusesAPipelinedExecuteAfterAPrepareThatDidNotSucceed() {
        prepare(7, 1, true);
        statements.inspect(bytes(new ComStmtPreparePacket("SELECT secret FROM vault WHERE id = ?")));

        PreparedStatements.Execution execution =
                statements.inspect(execute(PreparedStatements.LAST_PREPARED, LONGLONG, "2a00000000000000"));

        assertThat(execution.refusal().errorCode()).isEqualTo(1243);
        assertThat(execution.refusal().message()).contains("the last PREPARE did not succeed");
    }
}
