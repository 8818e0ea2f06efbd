package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.RawLogin;
import dev.agentgate.e2e.env.Recordings;
import dev.agentgate.recording.RecordedSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions recorded by the gateway process (its recording section, policy off): what PyMySQL and the mariadb CLI
 * received is what their recordings replay, value for value; a session that breaks the protocol ends recorded as
 * such.
 */
class SessionRecordingTest {

    private static final Path RECORDINGS = Recordings.newDirectory("agentgate-recordings-");

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
        assertThat(Recordings.replayedLines(Recordings.recordedStatement(RECORDINGS, sql)))
                .isEqualTo(received.lines());
    }

    @Test
    void whatTheMariaDbCliReceivedIsWhatItsRecordingReplays() throws Exception {
        // no comment to tell it by: the CLI strips comments before it sends a statement
        String sql = "SELECT id, name, price, 'mariadb cli' AS client FROM recorded_items ORDER BY id";

        ClientScript.Result received = runScript(ClientScript.MARIADB_CLI, sql);

        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(Recordings.replayedLines(Recordings.recordedStatement(RECORDINGS, sql)))
                .isEqualTo(received.lines());
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

        RecordedSession session = Recordings.endedSessionWith(RECORDINGS, "SELECT 'before the broken packet'");

        assertThat(session.end().orElseThrow().path("reason").asText()).isEqualTo("protocol_error");
        assertThat(session.end().orElseThrow().path("detail").asText()).contains("Unknown command 0x99");
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
}
