package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a real gateway (real MariaDB, real OPA, Connector/J) whose events sink keeps them durably as slowly as the
 * test says: the end of each response reaches the client only once the sink says the command's records are durable;
 * when it says they are not, the client gets error 1290 in place of the end (recording.on_failure: refuse).
 */
@Tag("integration")
class HeldResponseEndMariaDbTest {

    private static final String POLICY = """
      package agentgate

      reads_secret if contains(lower(input.statement.sql), "secret")

      decision := {"action": "deny", "reason": "test: secrets are off limits"} if {
        reads_secret
      }

      decision := {"action": "allow", "reason": "test: everything else"} if {
        not reads_secret
      }
      """;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DurabilityGate sink = new DurabilityGate();

    @TempDir
    static Path directory;

    private static DevGateway gateway;

    @BeforeAll
    static void startEverything() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));"
                        + "INSERT INTO shop.items VALUES (1, 'one'), (2, 'two');",
                MaskingConfig.NONE,
                new DevGateway.Options(List.of(sink), Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void keepEverythingAgain() {
        sink.keepAll();
    }

    @Test
    void theClientGetsTheAnswerToAStatementOnlyOnceItsRecordIsDurable() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            sink.holdAll();
            CompletableFuture<String> answer =
                    CompletableFuture.supplyAsync(() -> firstValue(statement, "SELECT 'answered'"));
            DurabilityGate.Waiting waiting = sink.next(WAIT);

            Thread.sleep(500);
            assertThat(answer).as("the answer before the record is durable").isNotDone();

            waiting.kept();
            assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("answered");
        }
    }

    @Test
    void aStatementWhoseRecordIsNotDurableEndsWithError1290InPlaceOfItsEnd() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            sink.holdAll();
            CompletableFuture<String> answer =
                    CompletableFuture.supplyAsync(() -> firstValue(statement, "SELECT 'unrecorded'"));
            sink.next(WAIT).notKept("the store is too slow");

            SQLException refused = failureOf(answer);
            assertThat(refused.getErrorCode()).isEqualTo(1290);
            assertThat(refused.getMessage())
                    .contains("agentgate refuses statements while they cannot be recorded")
                    .contains("ran on the target")
                    .contains("the store is too slow");
        }
    }

    @Test
    void aSessionGoesOnAfterAStatementWhoseRecordWasNotDurable() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            sink.holdAll();
            CompletableFuture<String> answer =
                    CompletableFuture.supplyAsync(() -> firstValue(statement, "SELECT 'lost'"));
            sink.next(WAIT).notKept("the store failed");
            failureOf(answer);
            sink.keepAll();

            assertThat(firstValue(statement, "SELECT name FROM items WHERE id = 2"))
                    .isEqualTo("two");
        }
    }

    @Test
    void theErrorOfARefusedStatementIsHeldUntilItsRecordIsDurableToo() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            sink.holdAll();
            CompletableFuture<String> answer =
                    CompletableFuture.supplyAsync(() -> firstValue(statement, "SELECT 'secret'"));
            DurabilityGate.Waiting waiting = sink.next(WAIT);

            Thread.sleep(500);
            assertThat(answer).isNotDone();

            waiting.kept();
            assertThat(failureOf(answer).getMessage()).contains("test: secrets are off limits");
        }
    }

    @Test
    void aPipelinedPrepareAndExecuteBothRunWithEachEndHeldInTurn() throws Exception {
        try (Connection connection =
                        gateway.connectWithMariaDbDriver("appdb", "shop", Map.of("useServerPrepStmts", "true"));
                PreparedStatement select = connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            select.setInt(1, 1);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("one");
            }
        }
    }

    @Test
    void aChangeUserWhoseAuthSwitchTheClientMustAnswerIsNotHeldBack() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop")) {
            connection.unwrap(JdbcConnection.class).changeUser("appdb", gateway.mint(Duration.ofMinutes(5)));
            try (Statement statement = connection.createStatement()) {
                assertThat(firstValue(statement, "SELECT 'after change user'")).isEqualTo("after change user");
            }
        }
    }

    private static String firstValue(Statement statement, String sql) {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static SQLException failureOf(CompletableFuture<String> answer) throws Exception {
        try {
            String value = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the statement was answered: " + value);
        } catch (java.util.concurrent.ExecutionException failed) {
            assertThat(failed.getCause()).isInstanceOf(SQLException.class);
            return (SQLException) failed.getCause();
        }
    }
}
