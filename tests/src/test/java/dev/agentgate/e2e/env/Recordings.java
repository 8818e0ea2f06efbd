package dev.agentgate.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ResponseTranscript;
import dev.agentgate.recording.LocalSegments;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import dev.agentgate.recording.RecordingReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A gateway's session recordings as the tests read them: with the gateway's own reader, and its CLI's verify. */
public final class Recordings {

    private Recordings() {}

    /** A fresh directory for a gateway to record into ({@code recordedTo}). */
    public static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded response as the client scripts print one: a tab-separated header, then rows ("NULL" for null). */
    public static List<String> replayedLines(RecordedStatement statement) {
        List<String> lines = new ArrayList<>();
        for (ResponseTranscript.Part part :
                ResponseTranscript.decode(statement.response(), statement.command(), List.of())) {
            if (part instanceof ResponseTranscript.ResultSet table) {
                lines.add(String.join("\t", table.columns()));
                for (List<byte[]> row : table.rows()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < row.size(); i++) {
                        String text = table.text(row, i);
                        values.add(text == null ? "NULL" : text);
                    }
                    lines.add(String.join("\t", values));
                }
            }
        }
        return lines;
    }

    /** The statement {@code sql} as recorded, once the session that ran it has ended. */
    public static RecordedStatement recordedStatement(Path recordings, String sql) throws Exception {
        return endedSessionWith(recordings, sql).statements().stream()
                .filter(statement -> sql.equals(statement.sql()))
                .findFirst()
                .orElseThrow();
    }

    /** The recording of the session that ran {@code sql}, once its end is recorded (waits up to 30 s). */
    public static RecordedSession endedSessionWith(Path recordings, String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Optional<RecordedSession> session = sessionWith(recordings, sql::equals);
            if (session.isPresent() && session.get().end().isPresent()) {
                return session.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session in " + recordings + " recorded " + sql);
    }

    /** The recording of a session that ran a statement whose text matches {@code sql}, as it is now. */
    public static Optional<RecordedSession> sessionWith(Path recordings, Predicate<String> sql) throws IOException {
        RecordingReader reader = new RecordingReader(new LocalSegments(recordings));
        for (String id : reader.sessionIds()) {
            RecordedSession session = reader.read(id);
            if (session.statements().stream()
                    .anyMatch(statement -> statement.sql() != null && sql.test(statement.sql()))) {
                return Optional.of(session);
            }
        }
        return Optional.empty();
    }

    /** Each recorded session's id and record types, to say what a failing test found instead. */
    public static String describe(Path recordings) {
        try {
            RecordingReader reader = new RecordingReader(new LocalSegments(recordings));
            StringBuilder found = new StringBuilder();
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                found.append('\n')
                        .append(id)
                        .append(": ")
                        .append(session.segments().size())
                        .append(" segment(s), ");
                session.records()
                        .forEach(record ->
                                found.append(record.path("type").asText()).append(' '));
            }
            return found.length() == 0 ? "no sessions" : found.toString();
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** What {@code agentgate sessions verify} printed (standard output and error) and its exit code. */
    public record Verified(int exitCode, String output) {}

    /** {@code agentgate sessions verify ID --config FILE}, as an auditor runs it. */
    public static Verified verify(Path config, String sessionId) throws Exception {
        Path jar = Path.of(System.getProperty("agentgate.jar", "../gateway/target/agentgate.jar"));
        Path output = Files.createTempFile("agentgate-verify-", ".out");
        try {
            Process verify = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            jar.toAbsolutePath().toString(),
                            "sessions",
                            "verify",
                            sessionId,
                            "--config",
                            config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            assertThat(verify.waitFor(120, TimeUnit.SECONDS)).as("verify ends").isTrue();
            return new Verified(verify.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
