package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.protocol.ResponseTranscript;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result far larger than {@code recording.max_result_bytes} (200,000 rows against 64 KiB) through a real gateway
 * (real MariaDB, real OPA, MySQL Connector/J) with recording on: the client gets every row, the recording keeps the
 * response's first packets and counts exactly what it cut, and the session verifies.
 */
@Tag("integration")
class RecordingHugeResultMariaDbTest {

    private static final int ROWS = 200_000;
    private static final int MAX_RESULT_BYTES = 64 * 1024;

    private static final String POLICY = """
      package agentgate

      decision := {"action": "allow", "reason": "test: everything"}
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private static RecordingConfig recording;

    @BeforeAll
    static void startEverything() throws Exception {
        recording = RecordingConfig.inDirectory(directory.resolve("recordings")).withMaxResultBytes(MAX_RESULT_BYTES);
        gateway = DevGateway.start(
                directory, POLICY, "CREATE DATABASE shop;", MaskingConfig.NONE, DevGateway.Options.recorded(recording));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aHugeResultIsRecordedAsItsFirstRowsAndTheCountsOfWhatWasCut() throws Exception {
        long received = 0;
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT LPAD(seq, 10, '0') AS n FROM seq_1_to_" + ROWS + " /* huge */ ORDER BY seq")) {
            while (rows.next()) {
                received++;
            }
        }
        assertThat(received).isEqualTo(ROWS);

        RecordedSession session = sessionEndedWith("/* huge */");
        JsonNode record = session.records().stream()
                .filter(r -> r.path("sql").asText().contains("/* huge */"))
                .findFirst()
                .orElseThrow();
        RecordedStatement statement = RecordedStatement.of(record);
        List<String> kept = keptRows(statement);
        long keptBytes =
                statement.response().stream().mapToLong(packet -> packet.length).sum();

        assertThat(statement.rows()).isEqualTo(ROWS);
        assertThat(kept).isNotEmpty().hasSizeLessThan(ROWS);
        assertThat(kept).containsExactlyElementsOf(firstRows(kept.size()));
        assertThat(keptBytes).isLessThanOrEqualTo(MAX_RESULT_BYTES);
        // the rows not kept and the response's end packet
        assertThat(statement.cutPackets()).isEqualTo(ROWS - kept.size() + 1);
        // every byte the client got (each packet with its 4-byte header) was either kept or counted as cut
        long packets = statement.response().size() + statement.cutPackets();
        assertThat(keptBytes + statement.cutBytes() + 4 * packets)
                .isEqualTo(record.path("bytes").asLong());
        assertThat(RecorderTest.verifier(recording).verify(session).problems()).isEmpty();
    }

    private static List<String> keptRows(RecordedStatement statement) {
        List<String> rows = new ArrayList<>();
        for (ResponseTranscript.Part part :
                ResponseTranscript.decode(statement.response(), statement.command(), List.of())) {
            if (part instanceof ResponseTranscript.ResultSet table) {
                table.rows().forEach(row -> rows.add(table.text(row, 0)));
            }
        }
        return rows;
    }

    private static List<String> firstRows(int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(String.format("%010d", i));
        }
        return rows;
    }

    /** The session whose statement has {@code marker}, once its end is recorded. */
    private static RecordedSession sessionEndedWith(String marker) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                boolean holds = session.statements().stream()
                        .anyMatch(s -> s.sql() != null && s.sql().contains(marker));
                if (holds && session.end().isPresent()) {
                    return session;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session recorded a statement with " + marker);
    }
}
