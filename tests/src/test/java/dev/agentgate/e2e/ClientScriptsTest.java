package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayLogOnFailure;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client scripts in tests/clients (PyMySQL, mysql2, mariadb CLI) log in with a token over TLS.
 * Each also runs directly against MariaDB with the service password, so a failure through the gateway
 * is not a broken script or a missing tool.
 */
@ExtendWith(GatewayLogOnFailure.class)
class ClientScriptsTest {

  private static final MariaDbServer mariadb = MariaDbServer.shared();
  private static final String QUERY = "SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer,"
      + " NULL AS nothing, 'héllo 😀' AS text";
  private static final String EXPECTED_ROW = MariaDbServer.SERVICE_USER + "@%\t" + MariaDbServer.SCHEMA
      + "\t42\tNULL\théllo 😀";
  private static OidcIssuer issuer;
  private static GatewayProcess gateway;

  @BeforeAll
  static void startGateway() {
    issuer = OidcIssuer.start();
    gateway = GatewayProcess.builder().issuer(issuer).target("appdb", mariadb).start();
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
    issuer.close();
  }

  @ParameterizedTest
  @EnumSource(ClientScript.class)
  void logsInThroughTheGatewayWithATokenAndPrintsTheQueryResult(ClientScript script) {
    ClientScript.Result result = script.run(gateway.host(), gateway.port(), "appdb", issuer.valid("agent-script"),
        null, gateway.certificateFile(), QUERY);
    assertThat(result.exitCode()).as("exit code; stderr: " + result.stderr()).isZero();
    assertThat(result.lines()).containsExactly("user\tdb\tanswer\tnothing\ttext", EXPECTED_ROW);
  }

  @ParameterizedTest
  @EnumSource(ClientScript.class)
  void reportsTheGatewaysAccessDeniedForAnExpiredToken(ClientScript script) {
    ClientScript.Result result = script.run(gateway.host(), gateway.port(), "appdb", issuer.expired("agent-script"),
        null, gateway.certificateFile(), QUERY);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("1045").contains("token expired");
  }

  @ParameterizedTest
  @EnumSource(ClientScript.class)
  void runsDirectlyAgainstMariaDbWithTheServicePassword(ClientScript script) {
    ClientScript.Result result = script.run(mariadb.host(), mariadb.port(), mariadb.serviceUser(),
        mariadb.servicePassword(), mariadb.schema(), mariadb.certificateFile(), QUERY);
    assertThat(result.exitCode()).as("exit code; stderr: " + result.stderr()).isZero();
    assertThat(result.lines()).containsExactly("user\tdb\tanswer\tnothing\ttext", EXPECTED_ROW);
  }
}
