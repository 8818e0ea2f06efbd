package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection handed to another identity with COM_CHANGE_USER (as pools do), through a real gateway, MariaDB and
 * OPA: its recording shows an identity_change record, between the statements of the two identities, naming the new
 * identity and the session decision that admitted it; the signed recording still verifies.
 */
@Tag("integration")
class RecordedIdentityChangeMariaDbTest {

    private static final String POLICY = """
      package agentgate

      decision := {"action": "allow", "reason": sprintf("test: a session for %s", [input.identity.subject])} if {
        input.command.type == "connect"
      }

      decision := {"action": "allow", "reason": "test: every statement"} if {
        input.command.type != "connect"
      }
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private static RecordingConfig recording;

    @BeforeAll
    static void start() throws Exception {
        recording = RecordingConfig.inDirectory(directory.resolve("recordings"));
        gateway = DevGateway.start(directory, POLICY, "", MaskingConfig.NONE, DevGateway.Options.recorded(recording));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aChangeOfUserIsRecordedWithTheNewIdentityAndTheDecisionThatAdmittedIt() throws Exception {
        try (Connection connection = gateway.connect("appdb", "");
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 'as agent-7'").close();
            connection.unwrap(JdbcConnection.class).changeUser("appdb", gateway.mintFor("bob"));
            statement.executeQuery("SELECT 'as bob'").close();
        }

        RecordedSession session = endedSessionWith("SELECT 'as bob'");
        List<String> types = session.records().stream()
                .map(record -> record.path("type").asText())
                .filter(type -> !type.equals("segment_head"))
                .toList();
        JsonNode change = session.records().stream()
                .filter(record -> "identity_change".equals(record.path("type").asText()))
                .findFirst()
                .orElseThrow();

        assertThat(types).containsSubsequence("statement", "identity_change", "statement");
        assertThat(change.at("/identity/issuer").asText()).isEqualTo(DevIssuer.ISSUER);
        assertThat(change.at("/identity/subject").asText()).isEqualTo("bob");
        assertThat(change.at("/decision/action").asText()).isEqualTo("allow");
        assertThat(change.at("/decision/reason").asText()).isEqualTo("test: a session for bob");
        assertThat(change.at("/decision/policy_input/identity/subject").asText())
                .isEqualTo("bob");
        assertThat(RecorderTest.verifier(recording).verify(session).problems()).isEmpty();
    }

    private static RecordedSession endedSessionWith(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
            for (String id : reader.sessionIds()) {
                RecordedSession session = reader.read(id);
                // the segment's signed head closes it after the session's end record: wait for it too
                if (session.end().isPresent()
                        && session.statements().stream().anyMatch(statement -> sql.equals(statement.sql()))
                        && endsWithHead(session)) {
                    return session;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended session recorded " + sql);
    }

    /** Whether the session's last segment is whole and closed by its signed head (heads are not records). */
    private static boolean endsWithHead(RecordedSession session) {
        RawSegment last = session.segments().get(session.segments().size() - 1);
        if (last.cutShort() || last.lines().isEmpty()) {
            return false;
        }
        RecordLine line = RecordLine.parse(last.lines().get(last.lines().size() - 1));
        return line != null && line.isHead();
    }
}
