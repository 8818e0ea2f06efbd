package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentgate.config.MaskingConfig;
import dev.agentgate.testing.DevGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-phase {@code mask} decision end to end: a real MariaDB (whose catalog the lineage reads over JDBC as the
 * service account), a real OPA with a policy written here, the gateway in process, MySQL Connector/J. Whether rows
 * come back masked is the relay's part and not asserted here.
 */
@Tag("integration")
class MaskDecisionMariaDbTest {

    /**
     * SELECTs on customers: first answer mask ssn; the second answer (with lineage) denies masked uses, shows the
     * lineage's columns in its reason when the statement asks for it, else masks.
     */
    private static final String POLICY = """
      package agentgate

      customers if {
        input.statement.type == "select"
        contains(input.statement.sql, "customers")
      }

      ssn_masked := {"shop.customers.ssn": {"strategy": "partial", "params": {"keep_last": 4}}}

      decision := {"action": "allow", "reason": "test: not customers"} if not customers

      decision := {"action": "mask", "reason": "test: first answer", "masks": ssn_masked} if {
        customers
        not input.statement.lineage
      }

      decision := {"action": "deny", "reason": sprintf("test: masked uses %s", [json.marshal(input.statement.lineage.masked_uses)])} if {
        customers
        count(input.statement.lineage.masked_uses) > 0
      }

      decision := {"action": "deny", "reason": sprintf("test: lineage %s", [json.marshal(input.statement.lineage.columns)])} if {
        customers
        count(input.statement.lineage.masked_uses) == 0
        contains(input.statement.sql, "show lineage")
      }

      decision := {"action": "mask", "reason": "test: second answer", "masks": ssn_masked} if {
        customers
        count(input.statement.lineage.masked_uses) == 0
        not contains(input.statement.sql, "show lineage")
      }
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;

    @BeforeAll
    static void startEverything() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(20), ssn CHAR(11));"
                        + "INSERT INTO shop.customers VALUES (1, 'Ada', '123-45-6789');",
                MaskingConfig.NONE);
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static SQLException refusal(String sql) throws SQLException {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            SQLException refused = catchThrowableOfType(SQLException.class, () -> statement.executeQuery(sql));
            assertThat((Throwable) refused).as("refused: " + sql).isNotNull();
            return refused;
        }
    }

    @Test
    void aDenyInTheSecondAnswerRefusesTheStatementWithTheReasonItDrewFromTheLineage() throws SQLException {
        SQLException refused = refusal("SELECT name FROM customers WHERE ssn = '123-45-6789'");

        assertThat(refused.getMessage())
                .contains("test: masked uses")
                .contains("\"column\":\"shop.customers.ssn\"")
                .contains("\"use\":\"filter\"");
        assertThat(refused.getSQLState()).isEqualTo("42000");
        assertThat(refused.getErrorCode()).isEqualTo(1142);
    }

    @Test
    void theSecondAskCarriesTheLineageResolvedAgainstTheTargetsCatalogAndFollowsDdlThroughTheGateway()
            throws SQLException {
        assertThat(refusal("SELECT * FROM customers /* show lineage */").getMessage())
                .contains("{\"name\":\"id\",\"sources\":[\"shop.customers.id\"],\"unknown\":false}")
                .contains("{\"name\":\"ssn\",\"sources\":[\"shop.customers.ssn\"],\"unknown\":false}")
                .doesNotContain("phone");

        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE customers ADD COLUMN phone VARCHAR(20)");
        }

        assertThat(refusal("SELECT * FROM customers /* show lineage */").getMessage())
                .contains("{\"name\":\"phone\",\"sources\":[\"shop.customers.phone\"],\"unknown\":false}");
    }

    @Test
    void aServerSidePrepareIsAskedAgainWithItsLineageAndRefusedByTheSecondAnswer() throws SQLException {
        // emulateUnsupportedPstmts=false: else Connector/J quietly falls back to a client-side prepare when PREPARE is
        // refused.
        try (Connection connection = gateway.connect(
                "appdb",
                "shop",
                Map.of("useServerPrepStmts", "true", "cachePrepStmts", "false", "emulateUnsupportedPstmts", "false"))) {
            SQLException refused = catchThrowableOfType(
                    SQLException.class, () -> connection.prepareStatement("SELECT name FROM customers WHERE ssn = ?"));

            assertThat((Throwable) refused).isNotNull();
            assertThat(refused.getMessage()).contains("test: masked uses").contains("\"use\":\"filter\"");
        }
    }

    @Test
    void aMaskedStatementWhoseLineageThePolicyAcceptsRuns() throws SQLException {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name, ssn FROM customers")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("Ada");
        }
    }
}
