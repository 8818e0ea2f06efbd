package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.protocol.ResponseTranscript;
import dev.agentgate.testing.DevGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions through a real gateway (real MariaDB, real OPA, MySQL Connector/J), recorded to disk: what the recording
 * replays is what the client received, value for value, masked where the client saw it masked; and it verifies.
 */
@Tag("integration")
class RecordingMariaDbTest {

    private static final String POLICY = """
      package agentgate

      reads_people if contains(lower(input.statement.sql), "people")

      decision := {"action": "mask", "reason": "test: ssn is masked", "masks": {"shop.people.ssn": {"strategy": "redact"}}} if {
        reads_people
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not reads_people
      }
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private static RecordingConfig recording;

    @BeforeAll
    static void startEverything() throws Exception {
        recording = RecordingConfig.inDirectory(directory.resolve("recordings"));
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2));"
                        + "INSERT INTO shop.items VALUES (1, 'one', 1.50), (2, 'zwei \u00e4', NULL), (3, 'three', 3.00);"
                        + "CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11));"
                        + "INSERT INTO shop.people VALUES (1, 'Ada', '123-45-6789');"
                        + "CREATE TABLE shop.documents (id INT PRIMARY KEY, body BLOB);",
                MaskingConfig.NONE,
                DevGateway.Options.recorded(recording));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aTextQueryReplaysTheValuesTheClientReceived() throws Exception {
        List<List<String>> received = new ArrayList<>();
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, name, price FROM items /* text */ ORDER BY id")) {
            while (rows.next()) {
                received.add(values(rows, 3));
            }
        }

        RecordedStatement recorded = recordedStatement("/* text */");

        assertThat(replayedRows(recorded)).isEqualTo(received);
        assertThat(recorded.action()).isEqualTo("allow");
        assertThat(recorded.policyInputs()).hasSize(1);
    }

    @Test
    void aServerSidePreparedStatementReplaysItsBinaryRows() throws Exception {
        List<List<String>> received = new ArrayList<>();
        try (Connection connection = gateway.connect("appdb", "shop", Map.of("useServerPrepStmts", "true"));
                PreparedStatement statement =
                        connection.prepareStatement("SELECT id, name FROM items /* prepared */ WHERE id >= ?")) {
            statement.setInt(1, 2);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    received.add(values(rows, 2));
                }
            }
        }

        RecordedStatement executed = recordedStatements("/* prepared */").stream()
                .filter(statement -> statement.command().equals("COM_STMT_EXECUTE"))
                .findFirst()
                .orElseThrow();

        assertThat(executed.parameters()).containsExactly("2");
        assertThat(replayedRows(executed)).isEqualTo(received);
    }

    @Test
    void rowsFetchedFromACursorReplayWithTheColumnsOfTheirExecute() throws Exception {
        List<List<String>> received = new ArrayList<>();
        try (Connection connection = gateway.connect(
                        "appdb", "shop", Map.of("useServerPrepStmts", "true", "useCursorFetch", "true"));
                PreparedStatement statement =
                        connection.prepareStatement("SELECT id, name FROM items /* cursor */ ORDER BY id")) {
            statement.setFetchSize(1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    received.add(values(rows, 2));
                }
            }
        }
        List<RecordedStatement> statements = recordedStatements("/* cursor */");
        RecordedStatement execute = statements.stream()
                .filter(statement -> statement.command().equals("COM_STMT_EXECUTE"))
                .findFirst()
                .orElseThrow();
        List<List<String>> replayed = new ArrayList<>();
        for (RecordedStatement fetch : statementsOfSession(execute).stream()
                .filter(statement -> statement.command().equals("COM_STMT_FETCH"))
                .toList()) {
            for (ResponseTranscript.Part part : ResponseTranscript.decode(
                    fetch.response(), fetch.command(), ResponseTranscript.columnsOf(execute.response()))) {
                if (part instanceof ResponseTranscript.ResultSet table) {
                    table.rows().forEach(row -> replayed.add(texts(table, row)));
                }
            }
        }

        assertThat(replayed).isEqualTo(received);
    }

    @Test
    void anExecuteWhoseValueCameAsLongDataIsRecordedWithTheWholeValue() throws Exception {
        byte[] body = new byte[3000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7);
        }
        // a chunk size below the value's, so that Connector/J sends it in several COM_STMT_SEND_LONG_DATA
        try (Connection connection = gateway.connect(
                        "appdb", "shop", Map.of("useServerPrepStmts", "true", "blobSendChunkSize", "1024"));
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO documents /* long data */ VALUES (?, ?)")) {
            insert.setInt(1, 1);
            insert.setBinaryStream(2, new ByteArrayInputStream(body), body.length);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        RecordedStatement executed = recordedStatements("/* long data */").stream()
                .filter(statement -> statement.command().equals("COM_STMT_EXECUTE"))
                .findFirst()
                .orElseThrow();

        assertThat(executed.parameters())
                .containsExactly("1", "0x" + HexFormat.of().formatHex(body));
        assertThat(executed.outcome()).isEqualTo("ok");
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT body FROM documents WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBytes(1)).isEqualTo(body);
        }
    }

    @Test
    void aMaskedValueIsRecordedMaskedAsTheClientSawIt() throws Exception {
        List<List<String>> received = new ArrayList<>();
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name, ssn FROM people /* masked */")) {
            while (rows.next()) {
                received.add(values(rows, 2));
            }
        }

        RecordedStatement recorded = recordedStatement("/* masked */");

        assertThat(received.get(0).get(1)).isNotEqualTo("123-45-6789");
        assertThat(replayedRows(recorded)).isEqualTo(received);
        assertThat(new String(String.join(
                        "",
                        recorded.response().stream()
                                .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1))
                                .toList())))
                .doesNotContain("123-45-6789");
        assertThat(recorded.action()).isEqualTo("mask");
    }

    @Test
    void aRecordedSessionVerifies() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 /* verified */");
        }
        RecordedStatement recorded = recordedStatement("/* verified */");

        VerifyReport report = RecorderTest.verifier(recording).verify(sessionOf(recorded));

        assertThat(report.problems()).isEmpty();
    }

    private static List<String> values(ResultSet rows, int columns) throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            values.add(rows.getString(i));
        }
        return values;
    }

    private static List<List<String>> replayedRows(RecordedStatement statement) {
        List<List<String>> rows = new ArrayList<>();
        for (ResponseTranscript.Part part :
                ResponseTranscript.decode(statement.response(), statement.command(), List.of())) {
            if (part instanceof ResponseTranscript.ResultSet table) {
                table.rows().forEach(row -> rows.add(texts(table, row)));
            }
        }
        return rows;
    }

    private static List<String> texts(ResponseTranscript.ResultSet table, List<byte[]> row) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            texts.add(table.text(row, i));
        }
        return texts;
    }

    private static RecordedStatement recordedStatement(String marker) throws Exception {
        return recordedStatements(marker).get(0);
    }

    /** The statements whose SQL has {@code marker}, once their session's end is recorded. */
    private static List<RecordedStatement> recordedStatements(String marker) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                List<RecordedStatement> matching = session.statements().stream()
                        .filter(statement ->
                                statement.sql() != null && statement.sql().contains(marker))
                        .toList();
                if (!matching.isEmpty() && session.end().isPresent()) {
                    return matching;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session recorded a statement with " + marker);
    }

    private static RecordedSession sessionOf(RecordedStatement statement) throws IOException {
        RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
        for (String id : reader.sessionIds()) {
            RecordedSession session = reader.read(id);
            if (session.statements().stream().anyMatch(s -> s.at().equals(statement.at()))) {
                return session;
            }
        }
        throw new AssertionError("no session holds the statement");
    }

    private static List<RecordedStatement> statementsOfSession(RecordedStatement statement) throws IOException {
        return sessionOf(statement).statements();
    }
}
