package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pools that reset a connection (COM_RESET_CONNECTION) when it is given back: MariaDB Connector/J with
 * {@code pool=true&useResetConnection=true} and a mysql2 pool with {@code resetOnRelease}. The reset gives every
 * session variable its global value, the list of variables the server reports to the gateway among them; the
 * gateway sets that tracking up again before the client's OK, so the next borrower's statements run (an agent under
 * the shipped policy) and are read in the session's sql_mode: after the reset and a new
 * {@code SET sql_mode = 'NO_BACKSLASH_ESCAPES'}, the backslash trick still comes back masked.
 */
class PooledResetTest {

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    /** Under NO_BACKSLASH_ESCAPES: the string 'x\', then ssn and email of every customer. */
    private static final String BACKSLASH_TRICK = "SELECT 'x\\', ssn, email FROM customers -- '";

    private static final String NO_BACKSLASH_ESCAPES = "SET sql_mode = 'NO_BACKSLASH_ESCAPES'";

    @BeforeAll
    static void variantA() {
        PiiShop.use(PiiShop.Variant.A);
    }

    @Test
    void aMariaDbConnectorJPoolThatResetsBetweenBorrowersKeepsTheSessionReadAsTheServerReadsIt() throws SQLException {
        String token = new Identities(gateway.issuer()).agent();
        String[] pooled = {"pool=true", "maxPoolSize=1", "useResetConnection=true"};
        String firstThread;
        try (Connection first = gateway.connectWithToken(JdbcClient.MARIADB_CONNECTOR_J, token, pooled)) {
            firstThread = Sql.scalar(first, "SELECT CONNECTION_ID()");
            execute(first, "SET @marker = 42");
            execute(first, NO_BACKSLASH_ESCAPES);
        }
        try (Connection second = gateway.connectWithToken(JdbcClient.MARIADB_CONNECTOR_J, token, pooled)) {
            assertThat(Sql.scalar(second, "SELECT CONNECTION_ID()")).isEqualTo(firstThread);
            assertThat(Sql.scalar(second, "SELECT @marker")).isNull();
            assertThat(Sql.scalar(second, "SELECT @@sql_mode")).doesNotContain("NO_BACKSLASH_ESCAPES");
            execute(second, NO_BACKSLASH_ESCAPES);
            String received = Sql.rows(second, BACKSLASH_TRICK).toString();

            assertThat(received).contains(maskedSsn());
            assertThat(PiiShop.leaksIn(received)).as("received %s", received).isEmpty();
        }
    }

    @Test
    void aMysql2PoolThatResetsOnReleaseKeepsTheSessionReadAsTheServerReadsIt() {
        List<String> lines = pool("""
                [["SELECT CONNECTION_ID()", "SET @marker = 42", "SET sql_mode = 'NO_BACKSLASH_ESCAPES'"],
                 ["SELECT CONNECTION_ID()", "SELECT @marker", "SELECT @@sql_mode",
                  "SET sql_mode = 'NO_BACKSLASH_ESCAPES'", "SELECT 'x\\\\', ssn, email FROM customers -- '"]]
                """);

        assertThat(lines).hasSize(8);
        assertThat(lines.get(3)).as("the same connection").isEqualTo(lines.get(0));
        assertThat(lines.get(4)).isEqualTo("ok\tNULL");
        assertThat(lines.get(5)).startsWith("ok").doesNotContain("NO_BACKSLASH_ESCAPES");
        assertThat(lines.get(7)).startsWith("ok").contains(maskedSsn());
        assertThat(PiiShop.leaksIn(String.join("\n", lines))).isEmpty();
    }

    private static List<String> pool(String queries) {
        ClientScript.Result result = ClientScript.NODE_MYSQL2_POOL.run(
                gateway.process().host(),
                gateway.process().port(),
                GatewayExtension.TARGET,
                new Identities(gateway.issuer()).agent(),
                null,
                null,
                "",
                Map.of("AGENTGATE_QUERIES", queries));
        assertThat(result.exitCode()).as("pool.js: %s", result.stderr()).isZero();
        return result.lines();
    }

    private static String maskedSsn() {
        return "*******" + PiiShop.Variant.A.firstSsn().substring(7);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
