package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
    return config.opaPolicy(opa.start(ShippedPolicy.files(issuer, policyDirectory))).policySetting("timeout", "5s")
        .target(new GatewayConfigBuilder.Target(GatewayExtension.TARGET, mariadb.host(), mariadb.port(),
            mariadb.serviceUser(), mariadb.servicePassword(), ShopSchema.NAME));
  });

  @Test
  void anAgentReadsTheFirstThousandRowsOfALargeTableAndThenAnError() throws Exception {
    try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent());
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      statement.setFetchSize(Integer.MIN_VALUE);
      long[] rows = {0};
      assertSqlError(() -> {
        try (ResultSet rs = statement.executeQuery(LARGE)) {
          while (rs.next()) {
            rows[0]++;
          }
        }
      }, 1317, "70100", "agentgate sent the first 1000 rows, the policy's max_rows");
      assertThat(rows[0]).isEqualTo(1000);
    }
  }

  @Test
  void aDbaReadsTheWholeTable() throws Exception {
    try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).dba());
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
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
