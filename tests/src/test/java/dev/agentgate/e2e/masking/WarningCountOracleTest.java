package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The number of warnings as an oracle: a result larger than {@code max_allowed_packet} (64 MiB on the test server)
 * becomes NULL with a warning, so {@code CONCAT(email, <64 MiB - n>)} warns exactly when the e-mail address is longer
 * than n characters, a length the {@code email} strategy hides. The value itself comes back masked; the count of
 * warnings must not come back at all.
 */
class WarningCountOracleTest {

    private static final long MAX_ALLOWED_PACKET = 64L * 1024 * 1024;
    /** The first customer's e-mail address has 25 characters in both variants. */
    private static final int EMAIL_LENGTH = 25;

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    @BeforeAll
    static void shop() throws SQLException {
        PiiShop.use(PiiShop.Variant.values()[0]);
    }

    /** The statement that warns exactly when the first customer's e-mail address is longer than {@code guess}. */
    private static String lengthProbe(int guess) {
        return "SELECT CONCAT(email, REPEAT('x', " + (MAX_ALLOWED_PACKET - guess) + ")) FROM customers WHERE id = 1";
    }

    @Test
    void theServerWarnsExactlyWhenTheMaskedValueIsLongerThanTheGuess() throws SQLException {
        try (Connection direct = JdbcClient.CONNECTOR_J.connectDirectTo(MariaDbServer.shared(), PiiShop.NAME);
                Statement statement = direct.createStatement()) {
            statement.executeQuery(lengthProbe(EMAIL_LENGTH)).close();
            assertThat(warningCount(statement))
                    .as("a guess of the exact length")
                    .isZero();
            statement.executeQuery(lengthProbe(EMAIL_LENGTH - 1)).close();
            assertThat(warningCount(statement)).as("a guess one too short").isEqualTo(1);
        }
    }

    @Test
    void anAgentGetsTheProbeMaskedAndNoWarningCountInTheResponse() throws SQLException {
        try (Connection agent = agent();
                Statement statement = agent.createStatement();
                ResultSet rs = statement.executeQuery(lengthProbe(EMAIL_LENGTH - 1))) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1))
                    .as("NULL of a derived column is masked like any value")
                    .isEqualTo("***");
            assertThat((Object) statement.getWarnings())
                    .as("the EOF/OK warning count reads 0")
                    .isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SHOW COUNT(*) WARNINGS",
                "SHOW COUNT(*) ERRORS",
                "SHOW WARNINGS",
                "SHOW ERRORS",
                "SELECT @@warning_count",
                "SELECT @@session.error_count",
                "SELECT IF(@@`warning_count` > 0, 'long', 'short')",
                "SET @w = @@local.warning_count",
                "GET DIAGNOSTICS @n = NUMBER"
            })
    void anAgentUnderMaskingMayNotReadTheWarningsOrTheirCount(String read) throws SQLException {
        try (Connection agent = agent();
                Statement statement = agent.createStatement()) {
            statement.executeQuery(lengthProbe(EMAIL_LENGTH - 1)).close();

            assertThatThrownBy(() -> statement.execute(read))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("pii: agents under masking may not read warnings or their count")
                    .satisfies(refused ->
                            assertThat(((SQLException) refused).getErrorCode()).isEqualTo(1142));
        }
    }

    private static long warningCount(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW COUNT(*) WARNINGS")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection agent() throws SQLException {
        return gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent());
    }
}
