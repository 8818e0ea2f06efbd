package dev.agentgate.transport.masking;

import static dev.agentgate.transport.masking.RelayedResponses.allocator;
import static dev.agentgate.transport.masking.RelayedResponses.collector;
import static dev.agentgate.transport.masking.RelayedResponses.frames;
import static dev.agentgate.transport.masking.RelayedResponses.payload;
import static dev.agentgate.transport.masking.RelayedResponses.resultSets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.MaskingStrategies;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;
import dev.agentgate.protocol.ComFieldListPacket;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtExecutePacket;
import dev.agentgate.protocol.ComStmtFetchPacket;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.EofPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.testing.MariaDbServer;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import dev.agentgate.transport.masking.RelayedResponses.MaskColumnsNamed;
import dev.agentgate.transport.masking.RelayedResponses.ResultSetView;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The masking state machine fed real MariaDB 10.11 responses, with and without CLIENT_DEPRECATE_EOF. */
@Tag("integration")
class MaskingResponseMariaDbTest {

    private static final MaskingStrategy REDACT = MaskingStrategies.builtIn(
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
            .create("redact", Map.of());
    private static final String PEOPLE = "SELECT id, name, ssn, born FROM people ORDER BY id";

    private static MariaDbServer server;
    private static MariaDbResultSets backend;
    private static MariaDbResultSets eofBackend;

    @BeforeAll
    static void startMariaDb() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-masking-response-test"));
        backend = MariaDbResultSets.connect(server, "appdb");
        eofBackend = MariaDbResultSets.connect(server, "appdb", false);
        server.sql("CREATE TABLE appdb.people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11), born DATE);"
                + "INSERT INTO appdb.people VALUES (1, 'Ada', '123-45-6789', '1990-01-02'), (2, 'Bob', NULL, '1985-12-31'),"
                + " (3, 'Cy', '987-65-4321', NULL);");
    }

    @AfterAll
    static void stopMariaDb() {
        for (AutoCloseable closeable : new AutoCloseable[] {backend, eofBackend, server}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private record Relayed(List<Packet> received, List<MySQLFrame> frames, List<Packet> sent) {}

    /** Sends {@code command}, captures the backend's response and relays it through a MaskingResponse. */
    private static Relayed relay(
            MariaDbResultSets connection,
            MySQLPacket command,
            CommandType type,
            boolean cursor,
            ResponseMasking masking)
            throws Exception {
        long capabilities = connection.capabilityFlags();
        List<Packet> received = connection.response(command, new CommandResponseTracker(type, capabilities, cursor));
        List<MySQLFrame> frames = frames(received);
        List<Packet> sent = new ArrayList<>();
        RelayedResponses.relay(
                frames,
                new CommandResponseTracker(type, capabilities, cursor),
                new MaskingResponse(type, masking, allocator(), collector(sent)));
        return new Relayed(received, frames, sent);
    }

    private static Relayed query(String sql, ResponseMasking masking) throws Exception {
        return relay(backend, new ComQueryPacket(sql), CommandType.COM_QUERY, false, masking);
    }

    private static List<ResultSetView> resultSetsOf(Relayed relayed, CommandType type, boolean cursor) {
        return resultSets(relayed.sent(), new CommandResponseTracker(type, backend.capabilityFlags(), cursor));
    }

    private static List<ResultSetView> textResultSets(Relayed relayed) {
        return resultSetsOf(relayed, CommandType.COM_QUERY, false);
    }

    private static int prepare(String sql) throws Exception {
        List<Packet> response = backend.response(
                new ComStmtPreparePacket(sql),
                new CommandResponseTracker(CommandType.COM_STMT_PREPARE, backend.capabilityFlags()));
        return ComStmtPrepareOkPacket.read(payload(response.get(0))).statementId();
    }

    private static List<Integer> sequenceIds(List<Packet> packets) {
        return packets.stream().map(Packet::sequenceId).toList();
    }

    private static int warningsOfLast(List<Packet> packets) {
        return OkPacket.read(payload(packets.get(packets.size() - 1)), backend.capabilityFlags())
                .warnings();
    }

    @Test
    void masksTheChosenColumnOfEveryTextRowAndLeavesTheOtherColumnsAsTheyWere() throws Exception {
        Relayed relayed = query(PEOPLE, new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(textResultSets(relayed).get(0).rows())
                .containsExactly(
                        Arrays.asList("1", "Ada", "***", "1990-01-02"),
                        Arrays.asList("2", "Bob", null, "1985-12-31"),
                        Arrays.asList("3", "Cy", "***", null));
    }

    @Test
    void sendsTheMaskersDefinitionOfAMaskedDateColumn() throws Exception {
        Relayed relayed = query(PEOPLE, new MaskColumnsNamed(REDACT, "born"));

        ColumnDefinition41Packet born = textResultSets(relayed).get(0).columns().get(3);
        assertThat(born.type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        assertThat(born.name()).isEqualTo("born");
        assertThat(textResultSets(relayed).get(0).rows())
                .extracting(row -> row.get(3))
                .containsExactly("***", "***", null);
    }

    @Test
    void keepsEverySequenceIdWhenNoPacketChangesItsChunkCount() throws Exception {
        Relayed relayed = query(PEOPLE, new MaskColumnsNamed(REDACT, "ssn", "born"));

        assertThat(sequenceIds(relayed.sent())).isEqualTo(sequenceIds(relayed.received()));
    }

    @Test
    void passesAResultSetWhosePlanIsEmptyThroughByteForByte() throws Exception {
        Relayed relayed = query(PEOPLE, new MaskColumnsNamed(REDACT, "no_such_column"));

        assertThat(relayed.sent()).hasSameSizeAs(relayed.received());
        for (int i = 0; i < relayed.sent().size(); i++) {
            assertThat(relayed.sent().get(i).payload())
                    .as("packet " + i)
                    .isEqualTo(relayed.received().get(i).payload());
        }
    }

    @Test
    void releasesEveryBackendPacketItReplacedOrPassedOn() throws Exception {
        Relayed relayed = query(PEOPLE, new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(relayed.frames())
                .allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
    }

    @Test
    void asksForThePlanOfEachResultSetCountingTheOkResultsInBetween() throws Exception {
        MaskColumnsNamed masking = new MaskColumnsNamed(REDACT, "ssn");

        Relayed relayed = query(
                "SELECT ssn FROM people WHERE id = 1; UPDATE people SET name = name WHERE id = 0;"
                        + " SELECT id, ssn FROM people WHERE id = 3",
                masking);

        assertThat(masking.askedResults).containsExactly(0, 2);
        assertThat(textResultSets(relayed))
                .extracting(ResultSetView::rows)
                .containsExactly(List.of(List.of("***")), List.of(List.of("3", "***")));
    }

    @Test
    void masksTheBinaryRowsOfAnExecute() throws Exception {
        int statement = prepare(PEOPLE);

        Relayed relayed = relay(
                backend,
                new ComStmtExecutePacket(statement, 0, 1, new byte[0]),
                CommandType.COM_STMT_EXECUTE,
                false,
                new MaskColumnsNamed(REDACT, "ssn", "id"));

        assertThat(resultSetsOf(relayed, CommandType.COM_STMT_EXECUTE, false)
                        .get(0)
                        .rows())
                .containsExactly(
                        Arrays.asList("***", "Ada", "***", "1990-01-02"),
                        Arrays.asList("***", "Bob", null, "1985-12-31"),
                        Arrays.asList("***", "Cy", "***", null));
    }

    @Test
    void masksTheNullsOfADerivedColumnInTextAndBinaryRowsAlike() throws Exception {
        String derived = "SELECT id, IF(SUBSTRING(ssn, 1, 1) = '9', NULL, 'x') AS d, born FROM people ORDER BY id";
        MaskColumnsNamed masking =
                new MaskColumnsNamed(MaskingStrategies.hidingNull(REDACT), "", "born"); // "": no origin
        List<List<String>> expected =
                List.of(List.of("1", "***", "***"), List.of("2", "***", "***"), List.of("3", "***", "***"));

        Relayed text = query(derived, masking);
        Relayed binary = relay(
                backend,
                new ComStmtExecutePacket(prepare(derived), 0, 1, new byte[0]),
                CommandType.COM_STMT_EXECUTE,
                false,
                masking);

        assertThat(textResultSets(text).get(0).rows()).isEqualTo(expected);
        assertThat(resultSetsOf(binary, CommandType.COM_STMT_EXECUTE, false)
                        .get(0)
                        .rows())
                .isEqualTo(expected);
    }

    @Test
    void rewritesTheColumnDefinitionsOfAPrepareResponse() throws Exception {
        Relayed relayed = relay(
                backend,
                new ComStmtPreparePacket("SELECT id, born FROM people WHERE id > ?"),
                CommandType.COM_STMT_PREPARE,
                false,
                new MaskColumnsNamed(REDACT, "id"));

        List<ColumnDefinition41Packet> columns = resultSetsOf(relayed, CommandType.COM_STMT_PREPARE, false)
                .get(0)
                .columns();
        assertThat(columns).extracting(ColumnDefinition41Packet::name).containsExactly("id", "born");
        assertThat(columns)
                .extracting(column -> column.type().orElseThrow())
                .containsExactly(ColumnType.MYSQL_TYPE_VAR_STRING, ColumnType.MYSQL_TYPE_DATE);
    }

    @Test
    void rewritesOnlyTheMaskedColumnsOfAFieldList() throws Exception {
        MaskColumnsNamed masking = new MaskColumnsNamed(REDACT, "born");

        Relayed relayed =
                relay(backend, new ComFieldListPacket("people", ""), CommandType.COM_FIELD_LIST, false, masking);

        List<ColumnDefinition41Packet> columns = relayed.sent().subList(0, 4).stream()
                .map(packet -> ColumnDefinition41Packet.read(payload(packet)))
                .toList();
        assertThat(columns).extracting(ColumnDefinition41Packet::name).containsExactly("id", "name", "ssn", "born");
        assertThat(columns.get(3).type()).contains(ColumnType.MYSQL_TYPE_VAR_STRING);
        assertThat(columns.get(3).defaultValues()).isNull();
        for (int unmasked = 0; unmasked < 3; unmasked++) {
            assertThat(relayed.sent().get(unmasked).payload())
                    .isEqualTo(relayed.received().get(unmasked).payload());
        }
        assertThat(masking.askedResults).containsExactly(0);
    }

    @Test
    void masksTheRowsFetchedFromACursorAsTheExecuteThatOpenedIt() throws Exception {
        int statement = prepare(PEOPLE);
        long capabilities = backend.capabilityFlags();
        List<Packet> sent = new ArrayList<>();
        MaskingResponse execute = new MaskingResponse(
                CommandType.COM_STMT_EXECUTE, new MaskColumnsNamed(REDACT, "ssn"), allocator(), collector(sent));
        CommandResponseTracker executeTracker =
                new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, capabilities, true);
        RelayedResponses.relay(
                frames(backend.response(
                        new ComStmtExecutePacket(statement, ComStmtExecutePacket.CURSOR_TYPE_READ_ONLY, 1, new byte[0]),
                        executeTracker)),
                new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, capabilities, true),
                execute);
        List<ColumnDefinition41Packet> columns = resultSets(
                        sent, new CommandResponseTracker(CommandType.COM_STMT_EXECUTE, capabilities, true))
                .get(0)
                .columns();
        sent.clear();

        CommandResponseTracker fetchTracker = new CommandResponseTracker(CommandType.COM_STMT_FETCH, capabilities);
        RelayedResponses.relay(
                frames(backend.response(new ComStmtFetchPacket(statement, 10), fetchTracker)),
                new CommandResponseTracker(CommandType.COM_STMT_FETCH, capabilities),
                execute.fetch());

        List<List<String>> rows = sent.stream()
                .filter(packet -> packet.payload()[0] == 0) // binary rows; the end is 0xFE
                .map(packet -> RelayedResponses.binaryValues(packet, columns))
                .toList();
        assertThat(rows)
                .containsExactly(
                        Arrays.asList("1", "Ada", "***", "1990-01-02"),
                        Arrays.asList("2", "Bob", null, "1985-12-31"),
                        Arrays.asList("3", "Cy", "***", null));
    }

    @Test
    void replacesABackendErrorByTheGenericRunTimeError() throws Exception {
        // Strict mode: "Incorrect date value: '123-45-6789' for column ..." would show the masked value.
        Relayed relayed = query(
                "INSERT INTO people (id, born) SELECT 9, ssn FROM people WHERE id = 1",
                new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(ErrPacket.read(payload(relayed.received().get(0))).message()).contains("123-45-6789");
        ErrPacket error = ErrPacket.read(payload(relayed.sent().get(0)));
        assertThat(error.errorCode()).isEqualTo(1105);
        assertThat(error.sqlState()).isEqualTo("HY000");
        assertThat(error.message()).isEqualTo(WithheldDiagnostics.FAILED_MESSAGE);
    }

    @Test
    void replacesAnErrorCodeThatDependsOnAMaskedValueByTheSameGenericError() throws Exception {
        // 1242 "Subquery returns more than 1 row" only when ELT picks the subquery: when ssn's first '3' is its third
        // character
        Relayed relayed = query(
                "SELECT ELT(LOCATE('3', ssn), 'a', 'b', (SELECT id FROM people)) FROM people WHERE id = 1",
                new MaskColumnsNamed(REDACT, "ssn"));

        // the result set has begun when the row fails: the error is the response's last packet
        assertThat(ErrPacket.read(payload(
                                relayed.received().get(relayed.received().size() - 1)))
                        .errorCode())
                .isEqualTo(1242);
        ErrPacket error =
                ErrPacket.read(payload(relayed.sent().get(relayed.sent().size() - 1)));
        assertThat(error.errorCode()).isEqualTo(1105);
        assertThat(error.message()).isEqualTo(WithheldDiagnostics.FAILED_MESSAGE);
    }

    @Test
    void replacesASyntaxErrorByTheGenericSyntaxError() throws Exception {
        Relayed relayed = query("SELECT ssn FROM people WHERE", new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(ErrPacket.read(payload(relayed.received().get(0))).errorCode())
                .isEqualTo(1064);
        ErrPacket error = ErrPacket.read(payload(relayed.sent().get(0)));
        assertThat(error.errorCode()).isEqualTo(1064);
        assertThat(error.sqlState()).isEqualTo("42000");
        assertThat(error.message()).isEqualTo(WithheldDiagnostics.MALFORMED_MESSAGE);
    }

    @Test
    void setsTheWarningCountOfAResultSetEndToZero() throws Exception {
        Relayed relayed = query("SELECT CAST(ssn AS UNSIGNED) AS n FROM people", new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(OkPacket.read(
                                payload(relayed.received()
                                        .get(relayed.received().size() - 1)),
                                backend.capabilityFlags())
                        .warnings())
                .as("warnings the backend reported")
                .isEqualTo(2);
        assertThat(warningsOfLast(relayed.sent())).isZero();
    }

    @Test
    void setsTheWarningCountOfAnOkResultToZero() throws Exception {
        Relayed relayed = query(
                "DO (SELECT CAST(ssn AS UNSIGNED) FROM people WHERE id = 1)", new MaskColumnsNamed(REDACT, "ssn"));

        assertThat(OkPacket.read(payload(relayed.received().get(0)), backend.capabilityFlags())
                        .warnings())
                .as("warnings the backend reported")
                .isPositive();
        assertThat(warningsOfLast(relayed.sent())).isZero();
    }

    @Test
    void setsTheWarningCountOfEofPacketsToZeroWithoutDeprecateEof() throws Exception {
        Relayed relayed = relay(
                eofBackend,
                new ComQueryPacket("SELECT CAST(ssn AS UNSIGNED) AS n FROM people"),
                CommandType.COM_QUERY,
                false,
                new MaskColumnsNamed(REDACT, "ssn"));

        Packet end = relayed.sent().get(relayed.sent().size() - 1);
        assertThat(EofPacket.read(payload(
                                relayed.received().get(relayed.received().size() - 1)))
                        .warnings())
                .isEqualTo(2);
        assertThat(EofPacket.read(payload(end)).warnings()).isZero();
        assertThat(end.sequenceId())
                .isEqualTo(relayed.received().get(relayed.received().size() - 1).sequenceId());
    }

    @Test
    void withholdsTheCodeAndMessageColumnsOfShowWarnings() throws Exception {
        backend.response(
                new ComQueryPacket("SELECT CAST(ssn AS UNSIGNED) AS n FROM people"),
                new CommandResponseTracker(CommandType.COM_QUERY, backend.capabilityFlags()));

        Relayed relayed = query("SHOW WARNINGS", WithheldDiagnostics.MASKING);

        assertThat(textResultSets(relayed).get(0).rows())
                .containsExactly(
                        List.of("Warning", WithheldDiagnostics.WITHHELD_CODE, WithheldDiagnostics.WITHHELD_TEXT),
                        List.of("Warning", WithheldDiagnostics.WITHHELD_CODE, WithheldDiagnostics.WITHHELD_TEXT));
    }

    @Test
    void keepsTheNumberAnsweringShowCountWarnings() throws Exception {
        backend.response(
                new ComQueryPacket("SELECT CAST(ssn AS UNSIGNED) AS n FROM people"),
                new CommandResponseTracker(CommandType.COM_QUERY, backend.capabilityFlags()));

        Relayed relayed = query("SHOW COUNT(*) WARNINGS", WithheldDiagnostics.MASKING);

        assertThat(textResultSets(relayed).get(0).rows()).containsExactly(List.of("2"));
    }

    @Test
    void neverSendsAnythingOfAResultSetBeforeItsLastDefinition() throws Exception {
        long capabilities = backend.capabilityFlags();
        List<Packet> received = backend.response(
                new ComQueryPacket(PEOPLE), new CommandResponseTracker(CommandType.COM_QUERY, capabilities));
        List<Packet> sent = new ArrayList<>();
        MaskingResponse response = new MaskingResponse(
                CommandType.COM_QUERY, new MaskColumnsNamed(REDACT, "ssn"), allocator(), collector(sent));
        CommandResponseTracker tracker = new CommandResponseTracker(CommandType.COM_QUERY, capabilities);
        List<MySQLFrame> frames = frames(received);
        for (int i = 0; i < 4; i++) { // COLUMN_COUNT and three of the four definitions
            response.relay(tracker.accept(frames.get(i).payload()), frames.get(i));
        }
        assertThat(sent).isEmpty();

        response.discard();
        assertThat(frames.subList(0, 4))
                .allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
        frames.subList(4, frames.size()).forEach(MySQLFrame::release);
        assertThat(tracker.accept(Unpooled.wrappedBuffer(received.get(4).payload())))
                .isEqualTo(PacketRole.COLUMN_DEFINITION);
    }
}
