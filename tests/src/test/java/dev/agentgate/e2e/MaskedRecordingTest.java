package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Recordings;
import dev.agentgate.recording.RecordedStatement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A column the policy masks, read through PyMySQL and the mariadb CLI of a recorded gateway (real OPA): the client
 * receives it masked, and so does its recording — the replayed rows are the client's, and the plain value is in no
 * recorded byte.
 */
class MaskedRecordingTest {

    private static final String SECRET = "s3cr3t-value-4711";
    private static final Path WORK = Recordings.newDirectory("agentgate-masked-recording-");
    private static final Path RECORDINGS = WORK.resolve("recordings");

    private static final String POLICY = """
      package agentgate

      reads_secrets if contains(lower(input.statement.sql), "recorded_secrets")

      decision := {"action": "mask", "reason": "test: secrets are masked",
        "masks": {"agentgate_test.recorded_secrets.secret": {"strategy": "redact"}}} if reads_secrets

      decision := {"action": "allow", "reason": "test: everything else"} if not reads_secrets
      """;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway =
            GatewayExtension.configured(config -> config.opaPolicy(opa.start(writePolicy()))
                    .policySetting("timeout", "5s")
                    .recordedTo(RECORDINGS));

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @BeforeAll
    static void createTable() {
        mariadb.execute(
                "CREATE TABLE IF NOT EXISTS " + mariadb.schema()
                        + ".recorded_secrets (id INT PRIMARY KEY, name VARCHAR(20), secret VARCHAR(40))",
                "REPLACE INTO " + mariadb.schema() + ".recorded_secrets VALUES (1, 'first', '" + SECRET + "')");
    }

    @ParameterizedTest
    @EnumSource(
            value = ClientScript.class,
            names = {"PYTHON_PYMYSQL", "MARIADB_CLI"})
    void aMaskedValueIsRecordedMaskedAsTheClientReceivedIt(ClientScript client) throws Exception {
        String sql = "SELECT id, name, secret, '" + client.name() + "' AS client FROM recorded_secrets";

        ClientScript.Result received = client.run(
                gateway.process().host(),
                gateway.process().port(),
                GatewayExtension.TARGET,
                gateway.issuer().valid("agent-masked-" + client.name().toLowerCase()),
                null,
                gateway.process().certificateFile(),
                sql);

        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(received.stdout()).contains("first").doesNotContain(SECRET);
        RecordedStatement recorded = Recordings.recordedStatement(RECORDINGS, sql);
        assertThat(recorded.action()).isEqualTo("mask");
        assertThat(Recordings.replayedLines(recorded)).isEqualTo(received.lines());
        assertThat(recorded.response())
                .allSatisfy(packet -> assertThat(new String(packet, StandardCharsets.ISO_8859_1))
                        .doesNotContain(SECRET));
    }

    private static Path writePolicy() {
        try {
            Files.createDirectories(WORK.resolve("policy"));
            return Files.writeString(WORK.resolve("policy").resolve("masked.rego"), POLICY);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
