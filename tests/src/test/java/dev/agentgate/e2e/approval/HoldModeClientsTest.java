package dev.agentgate.e2e.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.e2e.env.ClientRoute.Outcome;
import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import dev.agentgate.e2e.env.Sql;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hold mode through real clients: a DROP TABLE from the CI migration identity needs approval under the shipped
 * policy (its test data shortens the request's {@code timeout_s} to {@value #APPROVAL_TIMEOUT_S} s), the gateway
 * holds it, and a DBA on call decides through the approvals API with their own token. The client waits, then gets
 * OK, or the refusal naming who denied it, or that the request expired.
 */
class HoldModeClientsTest {

    private static final int APPROVAL_TIMEOUT_S = 20;
    private static final String[] OUTCOMES = {"approved", "denied", "expired"};

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.configuredWithIssuer((issuer, config) -> {
        createTables();
        MariaDbServer mariadb = MariaDbServer.shared();
        Path[] policy = ShippedPolicy.files(
                issuer,
                policyDirectory,
                data -> ((ObjectNode) data.path("approval")).put("timeout_s", APPROVAL_TIMEOUT_S));
        return config.opaPolicy(opa.start(policy))
                .policySetting("timeout", "5s")
                .requiredClaims("sub")
                .approvalSetting("default_mode", "hold")
                .adminEndpoint()
                .target(new GatewayConfigBuilder.Target(
                        GatewayExtension.TARGET,
                        mariadb.host(),
                        mariadb.port(),
                        mariadb.serviceUser(),
                        mariadb.servicePassword(),
                        HoldClient.DATABASE));
    });

    /** One table per client and outcome, so that each test drops its own. */
    private static void createTables() {
        MariaDbServer mariadb = MariaDbServer.shared();
        List<String> statements = new ArrayList<>(List.of(
                "DROP DATABASE IF EXISTS shop",
                "CREATE DATABASE shop",
                "GRANT ALL PRIVILEGES ON shop.* TO '" + mariadb.serviceUser() + "'@'%'"));
        for (HoldClient client : HoldClient.values()) {
            for (String outcome : OUTCOMES) {
                statements.add("CREATE TABLE shop." + table(client, outcome) + " (id INT PRIMARY KEY)");
            }
        }
        statements.add("CREATE TABLE shop.impatient (id INT PRIMARY KEY)");
        statements.add("CREATE TABLE shop.impatient_pymysql (id INT PRIMARY KEY)");
        mariadb.execute(statements.toArray(String[]::new));
    }

    private static String table(HoldClient client, String outcome) {
        return "held_" + client.name().toLowerCase() + "_" + outcome;
    }

    private static boolean exists(String table) throws SQLException {
        try (Connection connection = MariaDbServer.shared().connectAsAdmin()) {
            return Sql.scalar(
                            connection,
                            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'shop'"
                                    + " AND table_name = '" + table + "'")
                    .equals("1");
        }
    }

    private static String requester() {
        return new Identities(gateway.issuer()).ciMigration("refs/heads/main");
    }

    /** A DBA on call: the shipped policy's approvers are the group dba-oncall. */
    private static String approver() {
        return gateway.issuer()
                .token("dana")
                .claim("groups", List.of("dba-oncall"))
                .mint();
    }

    private static ApprovalsApi api() {
        return new ApprovalsApi(gateway.process().adminUrl());
    }

    private static CompletableFuture<Outcome> send(HoldClient client, String sql) {
        String token = requester();
        return CompletableFuture.supplyAsync(() -> client.send(gateway.process(), token, sql));
    }

    @ParameterizedTest
    @EnumSource(HoldClient.class)
    void aHeldDropApprovedByADbaRunsAndTheClientGetsOk(HoldClient client) throws Exception {
        String table = table(client, "approved");
        String drop = "DROP TABLE " + table;
        CompletableFuture<Outcome> outcome = send(client, drop);
        String id = api().awaitPending(drop, approver());

        assertThat(outcome).as("the client waits while the request is pending").isNotDone();
        assertThat(exists(table)).isTrue();
        ApprovalsApi.Answer vote = api().vote(id, "approve", approver());

        assertThat(vote.status()).as("%s", vote).isEqualTo(200);
        assertThat(vote.body().path("result").asText()).isEqualTo("decided");
        Outcome result = outcome.get(60, TimeUnit.SECONDS);
        assertThat(result.failed()).as("%s", result).isFalse();
        assertThat(exists(table)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(HoldClient.class)
    void aHeldDropDeniedByADbaIsRefusedNamingWhoDeniedItAndTheRequest(HoldClient client) throws Exception {
        String table = table(client, "denied");
        String drop = "DROP TABLE " + table;
        CompletableFuture<Outcome> outcome = send(client, drop);
        String id = api().awaitPending(drop, approver());

        api().vote(id, "deny", approver());

        Outcome result = outcome.get(60, TimeUnit.SECONDS);
        assertThat(result.failed()).as("%s", result).isTrue();
        assertThat(result.errorCode()).isEqualTo(1142);
        assertThat(result.sqlState()).isEqualTo(client.accessDeniedState());
        assertThat(result.message())
                .contains("Access denied by agentgate: request " + id + " was denied by "
                        + gateway.issuer().issuer() + "|dana")
                .contains("do not retry this statement");
        assertThat(exists(table)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(HoldClient.class)
    void aHeldDropNobodyDecidesIsRefusedWhenItsRequestExpires(HoldClient client) throws Exception {
        String table = table(client, "expired");
        String drop = "DROP TABLE " + table;
        CompletableFuture<Outcome> outcome = send(client, drop);
        String id = api().awaitPending(drop, approver());

        Outcome result = outcome.get(APPROVAL_TIMEOUT_S + 60, TimeUnit.SECONDS);

        assertThat(result.failed()).as("%s", result).isTrue();
        assertThat(result.errorCode()).isEqualTo(1142);
        assertThat(result.sqlState()).isEqualTo(client.accessDeniedState());
        assertThat(result.message())
                .contains("request " + id + " expired at")
                .contains("without enough approvals; nothing was run");
        assertThat(exists(table)).isTrue();
        assertThat(api().show(id, approver()).body().path("state").asText()).isEqualTo("expired");
    }

    @Test
    void aJdbcReadTimeOutShorterThanTheWaitEndsTheWaitAndCancelsTheRequest() throws Exception {
        String drop = "DROP TABLE impatient";
        String url = "jdbc:mariadb://127.0.0.1:" + gateway.process().port() + "/shop?sslMode=trust&socketTimeout=2000";
        CompletableFuture<String> failure = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = DriverManager.getConnection(url, GatewayExtension.TARGET, requester());
                    Statement statement = connection.createStatement()) {
                statement.execute(drop);
                return "ran";
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
        String id = api().awaitPending(drop, approver());

        // MariaDB Connector/J 3.5 spells it so
        assertThat(failure.get(60, TimeUnit.SECONDS)).contains("Socket timout error");
        api().awaitState(id, "cancelled", approver());
        assertThat(exists("impatient")).isTrue();
    }

    @Test
    void aPyMySqlReadTimeOutShorterThanTheWaitEndsTheWaitAndCancelsTheRequest() throws Exception {
        String drop = "DROP TABLE impatient_pymysql";
        String token = requester();
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(
                () -> HoldClient.pyMySql(gateway.process(), token, drop, Map.of("AGENTGATE_READ_TIMEOUT", "2")));
        String id = api().awaitPending(drop, approver());

        Outcome result = outcome.get(60, TimeUnit.SECONDS);

        assertThat(result.errorCode()).as("%s", result).isEqualTo(2013);
        assertThat(result.message())
                .contains("Lost connection to MySQL server during query (The read operation timed out)");
        api().awaitState(id, "cancelled", approver());
        assertThat(exists("impatient_pymysql")).isTrue();
    }
}
