package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client scripts in tests/clients (PyMySQL, mysql2, mariadb CLI) log in with a token over TLS.
 * Each also runs directly against MariaDB with the service password, so a failure through the gateway
 * is not a broken script or a missing tool.
 */
class ClientScriptsTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();
    private static final String QUERY = "SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer,"
            + " NULL AS nothing, 'héllo 😀' AS text";
    private static final String EXPECTED_ROW =
            MariaDbServer.SERVICE_USER + "@%\t" + MariaDbServer.SCHEMA + "\t42\tNULL\théllo 😀";

    @ParameterizedTest
    @EnumSource(value = ClientScript.class, names = "NODE_MYSQL2_POOL", mode = EnumSource.Mode.EXCLUDE)
    void logsInThroughTheGatewayWithATokenAndPrintsTheQueryResult(ClientScript script) {
        ClientScript.Result result = script.run(
                gateway.process().host(),
                gateway.process().port(),
                "appdb",
                gateway.issuer().valid("agent-script"),
                null,
                gateway.process().certificateFile(),
                QUERY);
        assertThat(result.exitCode())
                .as("exit code; stderr: " + result.stderr())
                .isZero();
        assertThat(result.lines()).containsExactly("user\tdb\tanswer\tnothing\ttext", EXPECTED_ROW);
    }

    @ParameterizedTest
    @EnumSource(value = ClientScript.class, names = "NODE_MYSQL2_POOL", mode = EnumSource.Mode.EXCLUDE)
    void reportsTheGatewaysAccessDeniedForAnExpiredToken(ClientScript script) {
        ClientScript.Result result = script.run(
                gateway.process().host(),
                gateway.process().port(),
                "appdb",
                gateway.issuer().expired("agent-script"),
                null,
                gateway.process().certificateFile(),
                QUERY);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("1045").contains("token expired");
    }

    @ParameterizedTest
    @EnumSource(value = ClientScript.class, names = "NODE_MYSQL2_POOL", mode = EnumSource.Mode.EXCLUDE)
    void runsDirectlyAgainstMariaDbWithTheServicePassword(ClientScript script) {
        ClientScript.Result result = script.run(
                mariadb.host(),
                mariadb.port(),
                mariadb.serviceUser(),
                mariadb.servicePassword(),
                mariadb.schema(),
                mariadb.certificateFile(),
                QUERY);
        assertThat(result.exitCode())
                .as("exit code; stderr: " + result.stderr())
                .isZero();
        assertThat(result.lines()).containsExactly("user\tdb\tanswer\tnothing\ttext", EXPECTED_ROW);
    }
}
