package dev.agentgate.transport.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What MariaDB describes at PREPARE and at EXECUTE of one statement, and whether {@link PreparedColumns} takes them for
 * the same columns. With statistics on the tables (ANALYZE ... PERSISTENT), MariaDB merges the derived table of
 * {@value #DERIVED_JOIN} at EXECUTE and describes its column by the base table ({@code customers}) where its PREPARE
 * named the alias ({@code c}).
 */
@Tag("integration")
class PreparedColumnsMariaDbTest {

    private static final String DERIVED_JOIN = "SELECT o.id, c.name FROM orders o JOIN (SELECT id AS customer_id, name"
            + " FROM customers) c USING (customer_id) ORDER BY o.id";

    private static MariaDbServer server;
    private static MariaDbResultSets backend;

    @BeforeAll
    static void startMariaDb() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-prepared-columns-test"));
        backend = MariaDbResultSets.connect(server, "appdb");
        server.sql("CREATE TABLE appdb.customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, ssn CHAR(11))"
                + " DEFAULT CHARSET utf8mb4;"
                + "CREATE TABLE appdb.orders (id INT PRIMARY KEY, customer_id INT, qty INT);"
                + "INSERT INTO appdb.customers VALUES (1, 'Ada', '123-45-6789'), (2, 'Grace', NULL);"
                + "INSERT INTO appdb.orders VALUES (1, 1, 2), (2, 2, 1), (3, 1, 5);"
                + "ANALYZE TABLE appdb.customers PERSISTENT FOR ALL;");
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        backend.close();
        server.close();
    }

    @Test
    void mariaDbNamesAMergedDerivedTableByItsAliasAtPrepareAndByItsBaseTableAtExecute() throws Exception {
        ColumnDefinition41Packet prepared =
                backend.preparedColumns(DERIVED_JOIN).get(1);
        ColumnDefinition41Packet executed =
                backend.executeRepeatedly(DERIVED_JOIN, 1).get(0).columns().get(1);

        assertThat(List.of(prepared.table(), prepared.orgTable())).containsExactly("c", "c");
        assertThat(List.of(executed.table(), executed.orgTable())).containsExactly("c", "customers");
    }

    @Test
    void everyExecuteOfTheDerivedJoinDescribesThePreparedColumnsWhereTheLineageTracesTheBaseColumn() throws Exception {
        List<ColumnDefinition41Packet> prepared = backend.preparedColumns(DERIVED_JOIN);
        List<MariaDbResultSets.ResultSet> executed = backend.executeRepeatedly(DERIVED_JOIN, 3);

        assertThat(executed)
                .allSatisfy(result -> assertThat(
                                PreparedColumns.same(prepared, result.columns(), tracing("appdb", "customers", "name")))
                        .isTrue());
    }

    @Test
    void theDerivedJoinCountsAsOtherColumnsWithoutALineageThatTracesTheBaseColumn() throws Exception {
        List<ColumnDefinition41Packet> prepared = backend.preparedColumns(DERIVED_JOIN);
        List<ColumnDefinition41Packet> executed =
                backend.executeRepeatedly(DERIVED_JOIN, 1).get(0).columns();

        assertThat(PreparedColumns.same(prepared, executed)).isFalse();
        assertThat(PreparedColumns.same(prepared, executed, tracing("appdb", "customers", "ssn")))
                .isFalse();
    }

    @Test
    void aBaseColumnThePrepareNamedThatTheExecuteNamesOtherwiseCountsAsOtherColumnsEvenWhereTheLineageTracesBoth()
            throws Exception {
        List<ColumnDefinition41Packet> prepared = backend.preparedColumns("SELECT name FROM customers");
        ColumnDefinition41Packet base = prepared.get(0);
        ColumnDefinition41Packet moved = new ColumnDefinition41Packet(
                base.catalog(),
                base.schema(),
                base.table(),
                "people",
                base.name(),
                base.orgName(),
                base.characterSet(),
                base.columnLength(),
                base.columnType(),
                base.flags(),
                base.decimals(),
                base.defaultValues());
        ResponseMasking tracingAnything = new ResponseMasking() {
            @Override
            public boolean masksAnything() {
                return true;
            }

            @Override
            public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
                return MaskPlan.none();
            }

            @Override
            public boolean tracesTo(int resultIndex, int column, ColumnOrigin origin) {
                return true;
            }
        };

        assertThat(PreparedColumns.same(prepared, List.of(moved), tracingAnything))
                .isFalse();
    }

    /** A masking whose lineage traces column 1 of the first result to exactly {@code schema.table.column}. */
    private static ResponseMasking tracing(String schema, String table, String column) {
        return new ResponseMasking() {
            @Override
            public boolean masksAnything() {
                return true;
            }

            @Override
            public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
                return MaskPlan.none();
            }

            @Override
            public boolean tracesTo(int resultIndex, int index, ColumnOrigin origin) {
                return resultIndex == 0 && index == 1 && origin.equals(new ColumnOrigin(schema, table, column));
            }
        };
    }
}
