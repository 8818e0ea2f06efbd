package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.MaskingConfig;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvent.EndReason;
import dev.agentgate.testing.DevGateway;
import dev.agentgate.testing.RecordingSessionEvents;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session events a real gateway emits (a real MariaDB, a real OPA, MySQL and MariaDB Connector/J as clients), as an
 * in-memory sink receives them: per command Received, Decided, the response packets as written, Completed; per
 * session Started first and Ended last, with why it ended.
 */
@Tag("integration")
class SessionEventsMariaDbTest {

    private static final String POLICY = """
      package agentgate

      reads_people if contains(lower(input.statement.sql), "people")

      reads_secret if contains(lower(input.statement.sql), "secret")

      decision := {"action": "deny", "reason": "test: secrets are off limits"} if {
        reads_secret
      }

      decision := {"action": "mask", "reason": "test: ssn is masked", "masks": {"shop.people.ssn": {"strategy": "redact"}}} if {
        reads_people
        not reads_secret
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not reads_people
        not reads_secret
      }
      """;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

    @TempDir
    static Path directory;

    private static final RecordingSessionEvents events = new RecordingSessionEvents();
    private static DevGateway gateway;

    @BeforeAll
    static void startEverything() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));"
                        + "INSERT INTO shop.items VALUES (1, 'one'), (2, 'two');"
                        + "CREATE TABLE shop.secret (id INT); CREATE TABLE shop.notes (id INT);"
                        + "CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11));"
                        + "INSERT INTO shop.people VALUES (1, 'Ada', '123-45-6789');",
                MaskingConfig.NONE,
                new DevGateway.Options(List.of(events), IDLE_TIMEOUT));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Connection connect() throws SQLException {
        return gateway.connect("appdb", "shop");
    }

    /** The id of the session that received {@code sql}. */
    private static String sessionOf(String sql) throws InterruptedException {
        return events.await(SessionEvent.CommandReceived.class, event -> sql.equals(event.sql()), WAIT)
                .sessionId();
    }

    private static List<Class<?>> kinds(List<SessionEvent> command) {
        List<Class<?>> kinds = new ArrayList<>();
        for (SessionEvent event : command) {
            if (kinds.isEmpty() || kinds.get(kinds.size() - 1) != event.getClass()) {
                kinds.add(event.getClass());
            }
        }
        return kinds;
    }

    private static <T extends SessionEvent> T only(List<SessionEvent> command, Class<T> type) {
        return command.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .reduce((a, b) -> {
                    throw new AssertionError("two " + type.getSimpleName() + " in " + command);
                })
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + command));
    }

    private static List<ByteBuffer> responses(List<SessionEvent> command) {
        return command.stream()
                .filter(SessionEvent.ResponsePacket.class::isInstance)
                .map(event -> ((SessionEvent.ResponsePacket) event).payload())
                .toList();
    }

    private static SessionEvent.Ended endOf(String sessionId) throws InterruptedException {
        return events.await(SessionEvent.Ended.class, event -> event.sessionId().equals(sessionId), WAIT);
    }

    @Test
    void aTextQueryIsReceivedDecidedAnsweredAndCompletedWithTheRowsAndBytesTheClientGot() throws Exception {
        String sql = "SELECT id, name FROM items ORDER BY id";
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next() && rows.next() && !rows.next()).isTrue();
        }
        String session = sessionOf(sql);
        List<SessionEvent> command = events.commandOf(session, sql, WAIT);

        assertThat(kinds(command))
                .containsExactly(
                        SessionEvent.CommandReceived.class,
                        SessionEvent.CommandDecided.class,
                        SessionEvent.ResponsePacket.class,
                        SessionEvent.CommandCompleted.class);
        assertThat(only(command, SessionEvent.CommandReceived.class).commandType())
                .isEqualTo("COM_QUERY");
        SessionEvent.CommandDecided decided = only(command, SessionEvent.CommandDecided.class);
        assertThat(decided.action()).isEqualTo("allow");
        assertThat(decided.reason()).isEqualTo("test: everything else");
        assertThat(decided.policyInputs().get())
                .singleElement()
                .satisfies(input -> assertThat(input)
                        .contains("\"type\":\"query\"")
                        .contains("\"subject\":\"agent-7\"")
                        .contains("ORDER BY id"));
        SessionEvent.CommandCompleted completed = only(command, SessionEvent.CommandCompleted.class);
        assertThat(completed.outcome()).isEqualTo("ok");
        assertThat(completed.rows()).isEqualTo(2);
        assertThat(completed.bytes())
                .isEqualTo(responses(command).stream()
                        .mapToLong(payload -> payload.remaining() + 4)
                        .sum());
    }

    @Test
    void aWriteCompletesWithTheAffectedRowsOfItsOk() throws Exception {
        String sql = "INSERT INTO notes VALUES (1), (2), (3)";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(3);
        }
        SessionEvent.CommandCompleted completed =
                only(events.commandOf(sessionOf(sql), sql, WAIT), SessionEvent.CommandCompleted.class);

        assertThat(completed.outcome()).isEqualTo("ok");
        assertThat(completed.affectedRows()).isEqualTo(3);
        assertThat(completed.rows()).isZero();
    }

    @Test
    void aSessionStartsWithWhoLoggedInOverWhichTlsAndEndsLast() throws Exception {
        String sql = "SELECT 'who started this'";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
        }
        String session = sessionOf(sql);
        endOf(session);
        List<SessionEvent> all = events.of(session);

        assertThat(all.get(0)).isInstanceOfSatisfying(SessionEvent.Started.class, started -> {
            assertThat(started.identity().subject()).isEqualTo("agent-7");
            assertThat(started.facts().target()).isEqualTo("appdb");
            assertThat(started.tlsProtocol()).startsWith("TLSv1.");
        });
        assertThat(all.get(all.size() - 1)).isInstanceOf(SessionEvent.Ended.class);
        assertThat(all.stream().filter(SessionEvent.Ended.class::isInstance)).hasSize(1);
    }

    @Test
    void aRefusedStatementIsDecidedDenyAndCompletedRefusedWithTheGatewaysError() throws Exception {
        String sql = "SELECT * FROM secret";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery(sql)).isInstanceOf(SQLException.class);
        }
        List<SessionEvent> command = events.commandOf(sessionOf(sql), sql, WAIT);

        SessionEvent.CommandDecided decided = only(command, SessionEvent.CommandDecided.class);
        assertThat(decided.action()).isEqualTo("deny");
        assertThat(decided.policyInputs().get()).hasSize(1);
        assertThat(responses(command))
                .singleElement()
                .satisfies(error -> assertThat(error.get(0)).isEqualTo((byte) 0xFF));
        SessionEvent.CommandCompleted completed = only(command, SessionEvent.CommandCompleted.class);
        assertThat(completed.outcome()).isEqualTo("refused");
        assertThat(completed.errorCode()).isEqualTo(1142);
        assertThat(completed.errorMessage()).contains("test: secrets are off limits");
    }

    @Test
    void anExecuteCarriesThePreparedTextAndItsBoundValues() throws Exception {
        String sql = "SELECT name FROM items WHERE id = ? AND name <> ?";
        try (Connection connection = gateway.connect(
                        "appdb", "shop", Map.of("useServerPrepStmts", "true", "cachePrepStmts", "false"));
                PreparedStatement lookup = connection.prepareStatement(sql)) {
            lookup.setInt(1, 2);
            lookup.setString(2, "none");
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
        String session = sessionOf(sql);
        SessionEvent.CommandReceived execute = events.await(
                SessionEvent.CommandReceived.class,
                event ->
                        event.sessionId().equals(session) && event.commandType().equals("COM_STMT_EXECUTE"),
                WAIT);

        assertThat(execute.sql()).isEqualTo(sql);
        assertThat(execute.parameters()).containsExactly("2", "none");
    }

    @Test
    void aPipelinedPrepareAndExecuteAreTakenUpOneAfterTheOther() throws Exception {
        String sql = "SELECT name FROM items WHERE id = ?";
        try (Connection connection =
                        gateway.connectWithMariaDbDriver("appdb", "shop", Map.of("useServerPrepStmts", "true"));
                PreparedStatement lookup = connection.prepareStatement(sql)) {
            lookup.setInt(1, 1);
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("one");
            }
        }
        String session = sessionOf(sql);
        List<SessionEvent> prepare = events.commandOf(session, sql, WAIT);
        long prepareNo = only(prepare, SessionEvent.CommandReceived.class).commandNo();
        SessionEvent.CommandReceived execute = events.await(
                SessionEvent.CommandReceived.class,
                event ->
                        event.sessionId().equals(session) && event.commandType().equals("COM_STMT_EXECUTE"),
                WAIT);
        List<SessionEvent> all = events.of(session);

        assertThat(execute.commandNo()).isEqualTo(prepareNo + 1);
        assertThat(execute.sql()).isEqualTo(sql);
        assertThat(execute.parameters()).containsExactly("1");
        assertThat(all.indexOf(execute)).isGreaterThan(all.indexOf(only(prepare, SessionEvent.CommandCompleted.class)));
    }

    @Test
    void aMaskedResultIsRecordedByteForByteAsTheClientReadIt() throws Exception {
        String sql = "SELECT name, ssn FROM people";
        String ssnRead;
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            ssnRead = rows.getString("ssn");
        }
        List<SessionEvent> command = events.commandOf(sessionOf(sql), sql, WAIT);
        List<byte[]> payloads =
                responses(command).stream().map(SessionEventsMariaDbTest::bytes).toList();

        assertThat(ssnRead).isEqualTo("***");
        assertThat(only(command, SessionEvent.CommandDecided.class).action()).isEqualTo("mask");
        assertThat(payloads).anySatisfy(row -> assertThat(row).isEqualTo(textRow("Ada", ssnRead)));
        assertThat(payloads)
                .noneSatisfy(payload -> assertThat(new String(payload, StandardCharsets.ISO_8859_1))
                        .contains("123-45-6789"));
    }

    @Test
    void aClientThatQuitsEndsItsSessionAsClientQuit() throws Exception {
        String sql = "SELECT 'about to quit'";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
        }

        assertThat(endOf(sessionOf(sql)).reason()).isEqualTo(EndReason.CLIENT_QUIT);
    }

    @Test
    void aSessionKilledFromAnotherEndsAsKilled() throws Exception {
        String sql = "SELECT CONNECTION_ID() AS to_be_killed";
        try (Connection victim = connect();
                Connection killer = connect();
                Statement statement = victim.createStatement();
                ResultSet id = statement.executeQuery(sql)) {
            assertThat(id.next()).isTrue();
            try (Statement kill = killer.createStatement()) {
                kill.execute("KILL CONNECTION " + id.getLong(1));
            }
            SessionEvent.Ended ended = endOf(sessionOf(sql));

            assertThat(ended.reason()).isEqualTo(EndReason.KILLED);
        }
    }

    @Test
    void aSessionWhoseTokenExpiresEndsAsTokenExpired() throws Exception {
        String sql = "SELECT 'expires soon'";
        try (Connection connection = gateway.connect("appdb", "shop", Map.of(), gateway.mint(Duration.ofSeconds(3)));
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
            SessionEvent.Ended ended = endOf(sessionOf(sql));

            assertThat(ended.reason()).isEqualTo(EndReason.TOKEN_EXPIRED);
            assertThat(ended.detail()).isEqualTo("token expired");
        }
    }

    @Test
    void aSessionIdleForTheIdleTimeoutEndsAsIdleTimeout() throws Exception {
        String sql = "SELECT 'then nothing'";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
            SessionEvent.Ended ended = endOf(sessionOf(sql));

            assertThat(ended.reason()).isEqualTo(EndReason.IDLE_TIMEOUT);
        }
    }

    @Test
    void aSessionLimitedWhileAStatementRunsHasTheStatementCancelledAndEndsAsMaxDuration() throws Exception {
        String sql = "SELECT SLEEP(30)";
        String limit = "the session's max_session_s is over";
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            Thread limiter = new Thread(() -> {
                try {
                    String session = sessionOf(sql);
                    gateway.sessions()
                            .control(session)
                            .orElseThrow()
                            .limitTo(java.time.Instant.now().plusMillis(500), EndReason.MAX_DURATION, limit);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            limiter.start();
            long started = System.nanoTime();

            assertThatThrownBy(() -> statement.executeQuery(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(limit);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            limiter.join();
        }
        String session = sessionOf(sql);
        SessionEvent.Ended ended = endOf(session);
        SessionEvent.CommandCompleted sleep =
                only(events.commandOf(session, sql, WAIT), SessionEvent.CommandCompleted.class);

        assertThat(ended.reason()).isEqualTo(EndReason.MAX_DURATION);
        assertThat(ended.detail()).isEqualTo(limit);
        assertThat(sleep.outcome()).isEqualTo("error");
        assertThat(sleep.errorMessage()).isEqualTo(limit);
    }

    private static byte[] bytes(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    /** A text row of short strings: each a length byte and its bytes. */
    private static byte[] textRow(String... values) {
        ByteArrayOutputStream row = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] text = value.getBytes(StandardCharsets.UTF_8);
            row.write(text.length);
            row.writeBytes(text);
        }
        return row.toByteArray();
    }
}
