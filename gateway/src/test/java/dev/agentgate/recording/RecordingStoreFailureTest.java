package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.config.StateConfig;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's store failing for real (the recording directory replaced by a plain file, so no session directory
 * or segment can be created in it), through a real gateway: with {@code on_failure: refuse} new statements are
 * refused with a clear error until the store works again; with {@code continue} they run, and the recording says
 * how much it lost where, which verify shows.
 */
@Tag("integration")
class RecordingStoreFailureTest {

    private static final String POLICY = """
      package agentgate

      decision := {"action": "allow", "reason": "test: everything"}
      """;

    @TempDir
    Path directory;

    private DevGateway gateway;
    private RecordingConfig recording;

    @AfterEach
    void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void withRefuseNewStatementsAreRefusedWhileTheStoreFailsAndRunAgainOnceItWorks() throws Exception {
        start(RecordingConfig.OnFailure.REFUSE);
        try (Connection connection = gateway.connect("appdb", "");
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 'recorded'").close();
            breakTheStore();
            SQLException refused = firstRefusal(statement);

            assertThat(refused.getErrorCode()).isEqualTo(1290);
            assertThat(refused.getMessage())
                    .contains("agentgate refuses statements while they cannot be recorded")
                    .contains("cannot write session recordings");

            repairTheStore();

            assertThat(runsWithin(statement, Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void withContinueStatementsRunWhileTheStoreFailsAndTheRecordingShowsTheGap() throws Exception {
        start(RecordingConfig.OnFailure.CONTINUE);
        breakTheStore();
        try (Connection connection = gateway.connect("appdb", "");
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 'while the store fails'").close();
            awaitASessionMarkedFailed();
            repairTheStore();
            statement.executeQuery("SELECT 'after the store works again'").close();
        }
        RecordedSession session = endedSessionWith("SELECT 'after the store works again'");
        List<JsonNode> gaps = session.records().stream()
                .filter(record -> "gap".equals(record.path("type").asText()))
                .toList();

        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).path("lost_events").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(session.statements())
                .extracting(RecordedStatement::sql)
                .containsExactly("SELECT 'after the store works again'");
        VerifyReport report = RecorderTest.verifier(recording).verify(session);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes())
                .extracting(VerifyReport.Finding::toString)
                .anySatisfy(note -> assertThat(note).contains("were not recorded"));
    }

    /**
     * A segment per record: an open session's segment file stays writable whatever happens to its directory, so it
     * is each new segment (and each new session) that meets the broken store.
     */
    private void start(RecordingConfig.OnFailure onFailure) throws Exception {
        recording = RecordingConfig.inDirectory(directory.resolve("recordings"))
                .withOnFailure(onFailure)
                .withSegmentMaxBytes(1);
        gateway = DevGateway.start(directory, POLICY, "", MaskingConfig.NONE, DevGateway.Options.recorded(recording));
    }

    /** The recording directory becomes a plain file: nothing can be created in it. */
    private void breakTheStore() throws Exception {
        Files.move(recording.dir(), directory.resolve("recordings.away"));
        Files.writeString(recording.dir(), "not a directory");
    }

    /**
     * The directory comes back with what it held. The recorder may create it again itself as soon as the file is
     * gone, so what was moved away is moved into whichever directory is there then.
     */
    private void repairTheStore() throws Exception {
        Files.delete(recording.dir());
        Files.createDirectories(recording.dir());
        Path away = directory.resolve("recordings.away");
        try (var held = Files.list(away)) {
            for (Path child : held.toList()) {
                Files.move(child, recording.dir().resolve(child.getFileName()));
            }
        }
        Files.delete(away);
    }

    /** The session index marks the session whose recording could not be written (as `sessions list` shows it). */
    private void awaitASessionMarkedFailed() throws Exception {
        try (StateSessionIndex index =
                new StateSessionIndex(StateDatabase.open(StateConfig.sqlite(directory.resolve("state.db"))))) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (Instant.now().isBefore(deadline)) {
                if (index.list(SessionIndex.Query.ALL).stream()
                        .anyMatch(session -> SessionSummary.FAILED.equals(session.status()))) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no session was marked failed while the recording store failed");
    }

    private static SQLException firstRefusal(Statement statement) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try {
                statement.executeQuery("SELECT 'may this be recorded?'").close();
            } catch (SQLException refused) {
                return refused;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no statement was refused while the recording store failed");
    }

    private static boolean runsWithin(Statement statement, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                statement.executeQuery("SELECT 'recorded again'").close();
                return true;
            } catch (SQLException stillRefused) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** Whether the session's end is recorded and its last segment closed with its head. */
    private static boolean closed(RecordedSession session) {
        if (session.end().isEmpty() || session.segments().isEmpty()) {
            return false;
        }
        List<byte[]> lines =
                session.segments().get(session.segments().size() - 1).lines();
        RecordLine last = lines.isEmpty() ? null : RecordLine.parse(lines.get(lines.size() - 1));
        return last != null && last.isHead();
    }

    private RecordedSession endedSessionWith(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                if (closed(session)
                        && session.statements().stream().anyMatch(statement -> sql.equals(statement.sql()))) {
                    return session;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session recorded " + sql);
    }
}
