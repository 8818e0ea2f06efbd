package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.Processes;
import dev.agentgate.e2e.env.RawLogin;
import dev.agentgate.protocol.ResponseTranscript;
import dev.agentgate.recording.LocalSegments;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import dev.agentgate.recording.RecordingReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions recorded by the gateway process (its recording section, policy off): what PyMySQL and the mariadb CLI
 * received is what their recordings replay, value for value; a session that breaks the protocol ends recorded as
 * such; and a gateway killed with SIGKILL in the middle of a session loses no statement that completed, while
 * {@code agentgate sessions verify} says where the recording ends.
 */
class SessionRecordingTest {

    private static final Path RECORDINGS = temporaryDirectory("agentgate-recordings-");

    @RegisterExtension
    static final GatewayExtension gateway =
            GatewayExtension.configured(config -> config.insecureDevLogin().recordedTo(RECORDINGS));

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @BeforeAll
    static void createTable() {
        mariadb.execute(
                "CREATE TABLE IF NOT EXISTS " + mariadb.schema()
                        + ".recorded_items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))"
                        + " CHARACTER SET utf8mb4",
                "REPLACE INTO " + mariadb.schema()
                        + ".recorded_items VALUES (1, 'one', 1.50), (2, 'zwei \u00e4', NULL), (3, 'trois \u00e9', 3.00)");
    }

    @Test
    void whatPyMySqlReceivedIsWhatItsRecordingReplays() throws Exception {
        String sql = "SELECT id, name, price, 'pymysql' AS client FROM recorded_items ORDER BY id";

        ClientScript.Result received = runScript(ClientScript.PYTHON_PYMYSQL, sql);

        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(replayedLines(recordedStatement(RECORDINGS, sql))).isEqualTo(received.lines());
    }

    @Test
    void whatTheMariaDbCliReceivedIsWhatItsRecordingReplays() throws Exception {
        // no comment to tell it by: the CLI strips comments before it sends a statement
        String sql = "SELECT id, name, price, 'mariadb cli' AS client FROM recorded_items ORDER BY id";

        ClientScript.Result received = runScript(ClientScript.MARIADB_CLI, sql);

        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(replayedLines(recordedStatement(RECORDINGS, sql))).isEqualTo(received.lines());
    }

    @Test
    void aSessionThatBreaksTheProtocolEndsRecordedAsAProtocolError() throws Exception {
        String token = gateway.issuer().valid("agent-protocol-error");
        try (Socket socket =
                new Socket(gateway.process().host(), gateway.process().port())) {
            socket.setSoTimeout(15_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            RawLogin.readPacket(in);
            out.write(RawLogin.handshakeResponse(1, GatewayExtension.TARGET, "mysql_clear_password", token));
            out.flush();
            RawLogin.readPacket(in);
            out.write(RawLogin.comQuery("SELECT 'before the broken packet'"));
            out.flush();
            int eofs = 0;
            while (eofs < 2) { // column count, definition, EOF, row, EOF (the client did not ask to deprecate EOF)
                eofs += RawLogin.readPacket(in)[0] == (byte) 0xFE ? 1 : 0;
            }
            out.write(new byte[] {1, 0, 0, 0, (byte) 0x99}); // command 0x99 does not exist
            out.flush();
            byte[] error = RawLogin.readPacket(in);
            assertThat(error[0]).as("an ERR packet").isEqualTo((byte) 0xFF);
        }

        RecordedSession session = endedSessionWith(RECORDINGS, "SELECT 'before the broken packet'");

        assertThat(session.end().orElseThrow().path("reason").asText()).isEqualTo("protocol_error");
        assertThat(session.end().orElseThrow().path("detail").asText()).contains("Unknown command 0x99");
    }

    @Test
    void aGatewayKilledMidSessionLosesNoCompletedStatementAndVerifySaysWhereTheRecordingEnds() throws Exception {
        Path recordings = temporaryDirectory("agentgate-killed-recordings-");
        try (OidcIssuer issuer = OidcIssuer.start();
                GatewayProcess killed = GatewayProcess.builder()
                        .issuer(issuer)
                        .target(GatewayExtension.TARGET, mariadb)
                        .recordedTo(recordings)
                        .start()) {
            Connection connection =
                    JdbcClient.CONNECTOR_J.connect(killed, GatewayExtension.TARGET, issuer.valid("agent-killed"));
            Statement statement = connection.createStatement();
            for (int i = 1; i <= 20; i++) {
                statement
                        .executeQuery("SELECT " + i + " AS completed /* before kill -9 */")
                        .close();
            }
            CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> {
                try {
                    statement.executeQuery("SELECT SLEEP(60) /* in flight at kill -9 */");
                } catch (Exception expected) {
                    // the gateway dies under it
                }
            });
            awaitRunningOnTheBackend("SELECT SLEEP(60) /* in flight at kill -9 */");

            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
            awaitDeath(killed);
            inFlight.get(60, TimeUnit.SECONDS);
            connection.close();

            RecordedSession session = sessionWith(recordings, sql -> sql.contains("/* before kill -9 */"))
                    .orElseThrow();
            List<RecordedStatement> completed = session.statements().stream()
                    .filter(recorded -> recorded.sql() != null && recorded.sql().contains("/* before kill -9 */"))
                    .toList();
            assertThat(completed).hasSize(20);
            assertThat(completed)
                    .allSatisfy(recorded -> assertThat(recorded.outcome()).isEqualTo("ok"));
            long lastRecord = session.records()
                    .get(session.records().size() - 1)
                    .path("n")
                    .asLong();
            assertThat(lastRecord).isEqualTo(completed.get(19).record());

            Verified verified = verify(killed.configFile(), session.sessionId());
            assertThat(verified.exitCode()).isEqualTo(1);
            assertThat(verified.output()).contains("the segment ends after record " + lastRecord);
        } finally {
            Processes.deleteRecursively(recordings);
        }
    }

    private static ClientScript.Result runScript(ClientScript script, String sql) {
        return script.run(
                gateway.process().host(),
                gateway.process().port(),
                GatewayExtension.TARGET,
                gateway.issuer().valid("agent-" + script.name().toLowerCase()),
                null,
                gateway.process().certificateFile(),
                sql);
    }

    /** The recorded response as the scripts print one: a tab-separated header, then each row ("NULL" for null). */
    static List<String> replayedLines(RecordedStatement statement) {
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

    private static RecordedStatement recordedStatement(Path recordings, String sql) throws Exception {
        return endedSessionWith(recordings, sql).statements().stream()
                .filter(statement -> sql.equals(statement.sql()))
                .findFirst()
                .orElseThrow();
    }

    private static RecordedSession endedSessionWith(Path recordings, String sql) throws Exception {
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

    private static Optional<RecordedSession> sessionWith(Path recordings, Predicate<String> sql) throws Exception {
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

    private static void awaitRunningOnTheBackend(String sql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (Connection admin = mariadb.connectAsAdmin();
                Statement processes = admin.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (var rows = processes.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = '" + sql + "'")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError(sql + " did not start on the backend");
    }

    private static void awaitDeath(GatewayProcess process) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(process.isAlive()).as("the gateway died of SIGKILL").isFalse();
    }

    private record Verified(int exitCode, String output) {}

    /** {@code agentgate sessions verify ID --config FILE}, as an auditor runs it. */
    private static Verified verify(Path config, String sessionId) throws Exception {
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

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
