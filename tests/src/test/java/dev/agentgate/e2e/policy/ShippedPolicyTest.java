package dev.agentgate.e2e.policy;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static dev.agentgate.e2e.policy.PolicyOutcomes.assertAllowed;
import static dev.agentgate.e2e.policy.PolicyOutcomes.assertDenied;
import static dev.agentgate.e2e.policy.PolicyOutcomes.assertLoginRefused;
import static dev.agentgate.e2e.policy.PolicyOutcomes.assertRefusedWithATicket;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientRoute;
import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each rule of the shipped policy (rego/*.rego with a test copy of rego/data.json naming this class's issuer)
 * allows or denies through the gateway, decided by a real OPA, for a real MariaDB, over JDBC text, JDBC
 * server-side prepared and the mariadb CLI. Identities are tokens whose claims select the role bindings of
 * the shipped data.
 */
class ShippedPolicyTest {

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
        // A generous time limit: this class is about what the rules decide, not about a slow OPA (see
        // PolicyEngineOutageTest), and a loaded CI machine can take longer than the default 250 ms.
        return config.opaPolicy(opa.start(ShippedPolicy.files(issuer, policyDirectory)))
                .policySetting("timeout", "5s")
                // Statements that need approval are refused at once with a ticket, rather than held for minutes.
                .approvalSetting("default_mode", "ticket")
                .target(new GatewayConfigBuilder.Target(
                        GatewayExtension.TARGET,
                        mariadb.host(),
                        mariadb.port(),
                        mariadb.serviceUser(),
                        mariadb.servicePassword(),
                        ShopSchema.NAME));
    });

    private static Identities who() {
        return new Identities(gateway.issuer());
    }

    private static ClientRoute.Outcome run(ClientRoute route, String token, String sql) {
        return route.run(gateway, token, sql);
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void aReadOnlyAgentMaySelectFromTheShopSchema(ClientRoute route) {
        ClientRoute.Outcome outcome = run(route, who().agent(), "SELECT name FROM products ORDER BY id");
        assertAllowed(outcome);
        assertThat(outcome.rows()).containsExactly(List.of("tea"), List.of("coffee"));
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void aReadOnlyAgentMayNotWrite(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "INSERT INTO products VALUES (3, 'cocoa', 5.00)"),
                "readonly: agent-7 (issuer " + gateway.issuer().issuer()
                        + ") is read-only; INSERT statements are not allowed");
        assertThat(ShopSchema.count("products")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void deleteWithoutWhereIsDenied(ClientRoute route) {
        assertDenied(
                run(route, who().ordersService(), "DELETE FROM orders"),
                "unbounded_write: DELETE without a WHERE clause would change every row of shop.orders");
        assertThat(ShopSchema.count("orders")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void updateWithoutWhereIsDenied(ClientRoute route) {
        assertDenied(
                run(route, who().ordersService(), "UPDATE orders SET qty = 0"),
                "unbounded_write: UPDATE without a WHERE clause would change every row of shop.orders");
        assertThat(ShopSchema.scalar("SELECT COUNT(*) FROM shop.orders WHERE qty = 0"))
                .isEqualTo("0");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void theOrdersServiceMayUpdateOrdersWithAWhereClause(ClientRoute route) {
        int quantity = 10 + route.ordinal();
        assertAllowed(run(route, who().ordersService(), "UPDATE orders SET qty = " + quantity + " WHERE id = 1"));
        assertThat(ShopSchema.scalar("SELECT qty FROM shop.orders WHERE id = 1"))
                .isEqualTo(String.valueOf(quantity));
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void theOrdersServiceMayNotWriteATableOutsideItsGrants(ClientRoute route) {
        assertDenied(
                run(route, who().ordersService(), "UPDATE products SET price = 0.01 WHERE id = 1"),
                "table_access: roles orders_writer of svc-orders (issuer "
                        + gateway.issuer().issuer() + ") have no write grant on shop.products (target appdb)");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void theCiMigrationOnMainMayChangeTheSchema(ClientRoute route) {
        String table = "migration_" + route.name().toLowerCase();
        assertAllowed(
                run(route, who().ciMigration("refs/heads/main"), "CREATE TABLE " + table + " (id INT PRIMARY KEY)"));
        assertThat(ShopSchema.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'shop'"
                        + " AND table_name = '" + table + "'"))
                .isEqualTo("1");
    }

    @Test
    void aCiMigrationFromAnotherBranchMayNotChangeTheSchema() {
        assertLoginRefused(
                ClientRoute.MARIADB_CLI.run(
                        gateway, who().ciMigration("refs/heads/feature-x"), "CREATE TABLE feature_table (id INT)"),
                "roles: no role binding in data.json matches repo:acme/shop:ref:refs/heads/feature-x (issuer "
                        + gateway.issuer().issuer() + ")");
        assertThat(ShopSchema.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'shop'"
                        + " AND table_name = 'feature_table'"))
                .isEqualTo("0");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void aCiMigrationFromAnotherBranchHasNoRoleAtAllSoItsLoginIsRefused(ClientRoute route) {
        assertLoginRefused(
                run(route, who().ciMigration("refs/heads/feature-x"), "SELECT name FROM products"),
                "roles: no role binding in data.json matches repo:acme/shop:ref:refs/heads/feature-x (issuer "
                        + gateway.issuer().issuer() + ")");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void dropTableNeedsApprovalAndIsRefusedWithATicket(ClientRoute route) {
        assertRefusedWithATicket(
                run(route, who().ciMigration("refs/heads/main"), "DROP TABLE legacy_orders"),
                "destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall");
        assertThat(ShopSchema.count("legacy_orders")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void truncateNeedsApprovalAndIsRefusedWithATicket(ClientRoute route) {
        assertRefusedWithATicket(
                run(route, who().ciMigration("refs/heads/main"), "TRUNCATE TABLE orders"),
                "destructive: TRUNCATE TABLE of shop.orders needs approval by dba-oncall");
        assertThat(ShopSchema.count("orders")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void anAgentReadingPiiColumnsGetsThemMasked(ClientRoute route) {
        ClientRoute.Outcome outcome = run(route, who().agent(), "SELECT name, email, ssn FROM customers");
        assertAllowed(outcome);
        // email keeps its domain, ssn its last 4 characters (rego/data.json pii_columns)
        assertThat(outcome.rows()).containsExactly(List.of("Ada", "***@example.com", "*******6789"));
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void anAgentMayNotFilterByAPiiColumn(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "SELECT id FROM customers WHERE email = 'ada@example.com'"),
                "pii: agents may not use masked column shop.customers.email in filter");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void anAgentMayNotRunSqlTheGatewayCannotAnalyse(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "SELECT name FROM products WHERE WHERE id = 1"),
                "unparsed: agents may not run SQL the gateway cannot analyse (");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void selectIntoOutfileIsDenied(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "SELECT name FROM products INTO OUTFILE '/tmp/agentgate-e2e-products.txt'"),
                "dangerous_feature: INTO OUTFILE writes a file on the database server");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void loadFileIsDenied(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "SELECT LOAD_FILE('/etc/passwd')"),
                "dangerous_feature: LOAD FILE reads a file from the database server");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void sleepIsDeniedEvenForADba(ClientRoute route) {
        assertDenied(
                run(route, who().dba(), "SELECT SLEEP(5)"),
                "dangerous_feature: SLEEP holds a connection for a chosen time");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void grantNeedsAnAdminRole(ClientRoute route) {
        assertDenied(
                run(route, who().agent(), "GRANT SELECT ON shop.* TO 'someone'@'%'"),
                "admin: GRANT statements need an admin role; agent-7 (issuer "
                        + gateway.issuer().issuer() + ") has none");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void anIdentityWithoutARoleBindingIsRefusedAtLogin(ClientRoute route) {
        assertLoginRefused(
                run(route, who().stranger(), "SELECT name FROM products"),
                "roles: no role binding in data.json matches stranger (issuer "
                        + gateway.issuer().issuer() + ")");
    }

    @ParameterizedTest
    @EnumSource(ClientRoute.class)
    void aStatementNoRuleAllowsIsDeniedByDefault(ClientRoute route) {
        assertDenied(
                run(route, who().ordersService(), "CALL refresh_orders()"),
                "default_deny: no rule allows CALL for svc-orders (issuer "
                        + gateway.issuer().issuer() + ")");
    }

    @Test
    void aBatchWithOneDeniedStatementIsRefusedWholeAndNothingOfItRuns() throws Exception {
        try (Connection connection = gateway.connectWithToken(
                        JdbcClient.CONNECTOR_J, who().ordersService(), "allowMultiQueries=true");
                Statement statement = connection.createStatement()) {
            assertSqlError(
                    () -> statement.execute("UPDATE orders SET qty = 99 WHERE id = 2; DELETE FROM orders"),
                    1142,
                    "42000",
                    "Access denied by agentgate policy: statement 2 of 2: unbounded_write: DELETE without a WHERE clause");
            assertThat(Sql.scalar(connection, "SELECT qty FROM orders WHERE id = 2"))
                    .as("the session stays usable")
                    .isEqualTo("1");
        }
        assertThat(ShopSchema.count("orders")).isEqualTo(2);
        assertThat(ShopSchema.scalar("SELECT qty FROM shop.orders WHERE id = 2"))
                .isEqualTo("1");
    }
}
