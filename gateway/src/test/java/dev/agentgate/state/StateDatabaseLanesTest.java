package dev.agentgate.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement's state call is not delayed by work no client waits for (heartbeats, leases, polls), on a real MariaDB
 * that is up, then killed and started again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateDatabaseLanesTest {

    /** The pool's connection timeout (2 s) and some slack, but less than two timeouts one after the other. */
    private static final Duration REFUSED_WITHIN = Duration.ofMillis(3_500);

    @TempDir
    static Path directory;

    private MariaDbServer server;
    private StateDatabase database;

    @BeforeAll
    void startServer() throws Exception {
        server = MariaDbServer.start(Files.createDirectories(directory.resolve("state")));
        server.sql("CREATE DATABASE agentgate_state; CREATE USER 'gw'@'%' IDENTIFIED BY 'gw-secret';"
                + " GRANT ALL ON agentgate_state.* TO 'gw'@'%';");
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        database = StateDatabase.open(new StateConfig(
                "jdbc:mariadb://127.0.0.1:" + server.port() + "/agentgate_state", "gw", "gw-secret", 1));
    }

    @AfterEach
    void closeAndStartAgain() throws Exception {
        database.close();
        if (!serverAnswers()) {
            server.startAgain();
        }
    }

    @Test
    void aStatementsCallIsAnsweredWhileBackgroundCallsHoldTheirLane() throws Exception {
        CompletableFuture<Integer> slow =
                database.callInBackground(connection -> select(connection, "SELECT SLEEP(2)"));
        CompletableFuture<Integer> queued = database.callInBackground(connection -> select(connection, "SELECT 2"));
        Thread.sleep(200); // the slow one holds the background thread and its connection

        Instant from = Instant.now();
        int answer = database.call(connection -> select(connection, "SELECT 1")).get(5, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo(1);
        assertThat(Duration.between(from, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(slow.isDone()).as("the background call still sleeping").isFalse();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void whileTheDatabaseIsDownEachStatementsCallIsRefusedWithinOneConnectionTimeoutWhateverTheBackgroundTries()
            throws Exception {
        assertThat(database.call(connection -> select(connection, "SELECT 1")).get(5, TimeUnit.SECONDS))
                .isEqualTo(1);
        server.kill();
        List<CompletableFuture<Integer>> polls = new ArrayList<>();
        for (int poll = 0; poll < 4; poll++) {
            polls.add(database.callInBackground(connection -> select(connection, "SELECT 1")));
        }

        for (int statement = 0; statement < 3; statement++) {
            Instant from = Instant.now();
            CompletableFuture<Integer> call = database.call(connection -> select(connection, "SELECT 1"));

            assertThat(call)
                    .failsWithin(REFUSED_WITHIN.plusSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StateUnavailableException.class);
            assertThat(Duration.between(from, Instant.now())).isLessThan(REFUSED_WITHIN);
        }
        polls.forEach(poll -> assertThat(poll).failsWithin(Duration.ofSeconds(30)));
    }

    @Test
    void callsThatFindThePoolLostConnectAgainSideBySideNotOneAfterAnother() throws Exception {
        database.close();
        database = StateDatabase.open(new StateConfig(
                "jdbc:mariadb://127.0.0.1:" + server.port() + "/agentgate_state", "gw", "gw-secret", 3));
        server.kill();
        // the first call finds the pool without connections after its timeout, and leaves it to be made again
        assertThat(database.call(connection -> select(connection, "SELECT 1"))).failsWithin(Duration.ofSeconds(15));

        Instant from = Instant.now();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int call = 0; call < 3; call++) {
            calls.add(database.call(connection -> select(connection, "SELECT 1")));
        }

        calls.forEach(call -> assertThat(call).failsWithin(Duration.ofSeconds(15)));
        assertThat(Duration.between(from, Instant.now())).isLessThan(REFUSED_WITHIN);
    }

    @Test
    void theFirstStatementsCallOnceTheDatabaseIsBackIsAnswered() throws Exception {
        server.kill();
        assertThat(database.call(connection -> select(connection, "SELECT 1"))).failsWithin(Duration.ofSeconds(15));
        server.startAgain();

        assertThat(database.call(connection -> select(connection, "SELECT 1")).get(15, TimeUnit.SECONDS))
                .isEqualTo(1);
    }

    private boolean serverAnswers() {
        try {
            server.sql("SELECT 1");
            return true;
        } catch (Exception down) {
            return false;
        }
    }

    private static int select(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
