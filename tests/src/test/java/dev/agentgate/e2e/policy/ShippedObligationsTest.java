package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped policy's agent obligations (rego/data.json {@code agent_obligations}: max_rows 1000) hold on a large table. */
class ShippedObligationsTest {

    private static final String LARGE = "SELECT seq FROM shop.seq_1_to_300000";

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configuredWithIssuer((issuer, config) -> {
        ShopSchema.create();
        MariaDbServer mariadb = MariaDbServer.shared();
        mariadb.execute(
                "INSERT INTO shop.customers SELECT seq + 1, CONCAT('name', seq), CONCAT('user', seq, '@example.com'),"
                        + " '123-45-6789' FROM seq_1_to_1999");
        return config.opaPolicy(opa.start(ShippedPolicy.files(issuer, policyDirectory)))
                .policySetting("timeout", "5s")
                .target(new GatewayConfigBuilder.Target(
                        GatewayExtension.TARGET,
                        mariadb.host(),
                        mariadb.port(),
                        mariadb.serviceUser(),
                        mariadb.servicePassword(),
                        ShopSchema.NAME));
    });

    @Test
    void anAgentReadsTheFirstThousandRowsOfALargeTableAndThenAnError() throws Exception {
        try (Connection connection =
                        gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent());
                Statement statement =
                        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            long[] rows = {0};
            assertSqlError(
                    () -> {
                        try (ResultSet rs = statement.executeQuery(LARGE)) {
                            while (rs.next()) {
                                rows[0]++;
                            }
                        }
                    },
                    1317,
                    "70100",
                    "agentgate sent the first 1000 rows, the policy's max_rows");
            assertThat(rows[0]).isEqualTo(1000);
        }
    }

    @Test
    void anAgentReadsAThousandMaskedRowsOfAMaskedTableAndThenAnError() throws Exception {
        try (Connection connection =
                        gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent());
                Statement statement =
                        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            List<String> emails = new ArrayList<>();
            assertSqlError(
                    () -> {
                        try (ResultSet rs = statement.executeQuery("SELECT email FROM shop.customers ORDER BY id")) {
                            while (rs.next()) {
                                emails.add(rs.getString(1));
                            }
                        }
                    },
                    1317,
                    "70100",
                    "the first 1000 rows");
            assertThat(emails)
                    .hasSize(1000)
                    .allSatisfy(email -> assertThat(email).isEqualTo("***@example.com"));
            assertThat(Sql.scalar(connection, "SELECT COUNT(*) FROM shop.customers"))
                    .isEqualTo("2000");
        }
    }

    @Test
    void aDbaReadsTheWholeTable() throws Exception {
        try (Connection connection =
                        gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).dba());
                Statement statement =
                        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            long rows = 0;
            try (ResultSet rs = statement.executeQuery(LARGE)) {
                while (rs.next()) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(300_000);
        }
    }
}
