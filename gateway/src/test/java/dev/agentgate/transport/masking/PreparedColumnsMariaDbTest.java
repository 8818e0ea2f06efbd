package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What MariaDB describes at PREPARE and at EXECUTE of the same statement, and whether {@link PreparedColumns} takes
 * them for the same columns: a merged derived table is named by its alias at PREPARE and by its base table at EXECUTE.
 */
class PreparedColumnsMariaDbTest {

    private static final String DERIVED_JOIN = "SELECT o.id, c.name FROM orders o JOIN (SELECT id AS customer_id, name"
            + " FROM customers) c USING (customer_id) ORDER BY o.id";

    private static MariaDbServer server;
    private static MariaDbResultSets backend;

    @BeforeAll
    static void startMariaDb() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-prepared-columns-test"));
        backend = MariaDbResultSets.connect(server, "appdb");
        server.sql("CREATE TABLE appdb.customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11));"
                + "CREATE TABLE appdb.orders (id INT PRIMARY KEY, customer_id INT);"
                + "INSERT INTO appdb.customers VALUES (1, 'Ada', '123-45-6789');"
                + "INSERT INTO appdb.orders VALUES (10, 1);");
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        backend.close();
        server.close();
    }

    @Test
    void aMergedDerivedTableNamedByItsAliasAtPrepareAndItsBaseTableAtExecuteDescribesTheSameColumns() throws Exception {
        List<ColumnDefinition41Packet> prepared = backend.preparedColumns(DERIVED_JOIN);
        List<MariaDbResultSets.ResultSet> executed = backend.executeRepeatedly(DERIVED_JOIN, 3);

        for (MariaDbResultSets.ResultSet result : executed) {
            System.out.println("PREPARE " + prepared + "\nEXECUTE " + result.columns());
        }
        assertThat(executed)
                .allSatisfy(result -> assertThat(PreparedColumns.same(prepared, result.columns()))
                        .isTrue());
    }
}
