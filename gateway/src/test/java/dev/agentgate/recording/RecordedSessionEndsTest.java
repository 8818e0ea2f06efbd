package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.RecordingConfig;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * How sessions end, as their recordings show it, through a real gateway (real MariaDB, real OPA): a token that
 * expires and a policy's {@code max_session_s} that runs out while a long statement runs cancel it with an error
 * saying why; a backend connection killed on the server; the gateway shutting down. Each recording ends with the
 * reason and a closed, signed last segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class RecordedSessionEndsTest {

    /** Sessions in database {@code brief} may last 3 s (the policy's session decision at login). */
    private static final String POLICY = """
      package agentgate

      decision := {"action": "allow", "reason": "test: brief sessions", "obligations": {"max_session_s": 3}} if {
        input.command.type == "connect"
        input.session.database == "brief"
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not input.command.type == "connect"
      }

      decision := {"action": "allow", "reason": "test: other sessions"} if {
        input.command.type == "connect"
        not input.session.database == "brief"
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
                "CREATE DATABASE shop; CREATE DATABASE brief;",
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
    void aTokenExpiringWhileAStatementRunsCancelsItAndTheRecordingEndsAsTokenExpired() throws Exception {
        String sql = "SELECT SLEEP(60) /* until the token expires */";
        long started;
        try (Connection connection = gateway.connect("appdb", "shop", Map.of(), gateway.mint(Duration.ofSeconds(5)));
                Statement statement = connection.createStatement()) {
            started = System.nanoTime();

            assertThatThrownBy(() -> statement.executeQuery(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("token expired");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

        RecordedSession session = closedSessionWith(sql);
        JsonNode end = session.end().orElseThrow();
        assertThat(end.path("reason").asText()).isEqualTo("token_expired");
        assertThat(end.path("detail").asText()).isEqualTo("token expired");
        assertThat(statement(session, sql).outcome()).isNotEqualTo("ok");
    }

    @Test
    void thePolicysMaximumDurationEndingWhileAStatementRunsCancelsItAndTheRecordingEndsAsMaxDuration()
            throws Exception {
        String sql = "SELECT SLEEP(60) /* until max_session_s */";
        try (Connection connection = gateway.connect("appdb", "brief");
                Statement statement = connection.createStatement()) {

            assertThatThrownBy(() -> statement.executeQuery(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("maximum duration of 3 s");
        }

        RecordedSession session = closedSessionWith(sql);
        JsonNode end = session.end().orElseThrow();
        assertThat(end.path("reason").asText()).isEqualTo("max_duration");
        assertThat(end.path("detail").asText()).contains("maximum duration of 3 s");
        assertThat(session.start()
                        .orElseThrow()
                        .path("login_decision")
                        .path("max_session_s")
                        .asLong())
                .isEqualTo(3);
    }

    @Test
    void aBackendConnectionKilledOnTheServerEndsTheSessionRecordedAsBackendLost() throws Exception {
        String sql = "SELECT SLEEP(60) /* until the backend is killed */";
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    statement.executeQuery(sql);
                    return null;
                } catch (SQLException lost) {
                    return lost;
                }
            });
            String backendThread = backendThreadRunning(sql);

            gateway.sqlAsRoot("KILL CONNECTION " + backendThread);

            assertThat(running.get(60, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);
        }

        RecordedSession session = closedSessionWith(sql);
        assertThat(session.end().orElseThrow().path("reason").asText()).isEqualTo("backend_lost");
    }

    @Test
    @Order(Integer.MAX_VALUE) // the gateway is gone after it
    void aSessionOpenWhenTheGatewayShutsDownIsRecordedToItsEndAsGatewayShutdown() throws Exception {
        String sql = "SELECT 'open at shutdown'";
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();

            gateway.shutDownGateway();
        }

        RecordedSession session = closedSessionWith(sql);
        assertThat(session.end().orElseThrow().path("reason").asText()).isEqualTo("gateway_shutdown");
        assertThat(RecorderTest.verifier(recording).verify(session).problems()).isEmpty();
    }

    private static String backendThreadRunning(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String id = gateway.sqlAsRoot("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '" + sql + "'");
            if (!id.isEmpty()) {
                return id;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(sql + " did not start on the backend");
    }

    private static RecordedStatement statement(RecordedSession session, String sql) {
        return session.statements().stream()
                .filter(statement -> sql.equals(statement.sql()))
                .findFirst()
                .orElseThrow();
    }

    /** The recording of the session that ran {@code sql}, once it is ended and its last segment signed. */
    private static RecordedSession closedSessionWith(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Optional<RecordedSession> found = sessionWith(sql);
            if (found.isPresent() && found.get().end().isPresent() && lastSegmentSigned(found.get())) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no closed recording of a session that ran " + sql);
    }

    private static Optional<RecordedSession> sessionWith(String sql) throws Exception {
        RecordingReader reader = new RecordingReader(new LocalSegments(recording.dir()));
        for (String id : reader.sessionIds()) {
            RecordedSession session = reader.read(id);
            if (session.statements().stream().anyMatch(statement -> sql.equals(statement.sql()))) {
                return Optional.of(session);
            }
        }
        return Optional.empty();
    }

    private static boolean lastSegmentSigned(RecordedSession session) {
        List<byte[]> lines =
                session.segments().get(session.segments().size() - 1).lines();
        RecordLine last = lines.isEmpty() ? null : RecordLine.parse(lines.get(lines.size() - 1));
        return last != null && last.isHead();
    }
}
