package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaResolutionTest extends AnalyzerFixture {

    @Test
    void resolvesAnUnqualifiedTableAgainstTheCurrentDatabase() {
        assertThat(facts("SELECT a FROM t", "shop").tables())
                .containsExactly(new TableRef("shop", "t", TableAccess.READ));
    }

    @Test
    void keepsTheSchemaAQualifiedTableNames() {
        assertThat(facts("SELECT a FROM crm.t", "shop").tables())
                .containsExactly(new TableRef("crm", "t", TableAccess.READ));
    }

    @Test
    void leavesTheSchemaNullWhenNoDatabaseIsSelected() {
        assertThat(facts("SELECT a FROM t", null).tables()).containsExactly(new TableRef(null, "t", TableAccess.READ));
    }

    @Test
    void removesBackticksAndKeepsTheCaseOfNames() {
        assertThat(facts("SELECT `Col` FROM `My Db`.`Orders`").tables())
                .containsExactly(new TableRef("My Db", "Orders", TableAccess.READ));
    }

    @Test
    void resolvesAColumnThroughItsTableAlias() {
        assertThat(facts("SELECT o.total FROM crm.orders o").columns())
                .containsExactly(new ColumnRef("crm", "orders", "total", List.of(ColumnUse.SELECT)));
    }

    @Test
    void attributesAnUnqualifiedColumnToTheOnlyTable() {
        assertThat(facts("SELECT total FROM orders WHERE id = 1").columns())
                .extracting(ColumnRef::table)
                .containsOnly("orders");
    }

    @Test
    void leavesTheTableOfAnUnqualifiedColumnNullWhenSeveralTablesCouldHoldIt() {
        ColumnRef column = facts("SELECT total FROM orders o JOIN customers c ON c.id = o.customer_id")
                .columns()
                .get(0);
        assertThat(column).isEqualTo(new ColumnRef(null, null, "total", List.of(ColumnUse.SELECT)));
    }

    @Test
    void doesNotReportCteNamesAsTables() {
        assertThat(facts("WITH recent AS (SELECT id FROM orders) SELECT id FROM recent")
                        .tables())
                .containsExactly(new TableRef("app", "orders", TableAccess.READ));
    }

    @Test
    void doesNotReportDerivedTableAliasesAsTables() {
        StatementFacts facts = facts("SELECT d.n FROM (SELECT COUNT(*) AS n FROM orders) AS d");
        assertThat(facts.tables()).containsExactly(new TableRef("app", "orders", TableAccess.READ));
        assertThat(facts.columns()).containsExactly(new ColumnRef(null, null, "n", List.of(ColumnUse.SELECT)));
    }

    @Test
    void resolvesAnOuterAliasInsideACorrelatedSubquery() {
        assertThat(facts("SELECT 1 FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)")
                        .columns())
                .contains(new ColumnRef("app", "users", "id", List.of(ColumnUse.FILTER)));
    }

    @Test
    void reportsATableReadAndWrittenInOneStatementOncePerAccess() {
        assertThat(facts("INSERT INTO t (a) SELECT a + 1 FROM t").tables())
                .containsExactlyInAnyOrder(
                        new TableRef("app", "t", TableAccess.WRITE), new TableRef("app", "t", TableAccess.READ));
    }

    @Test
    void doesNotReportASelectAliasUsedInOrderByAsAColumn() {
        assertThat(facts("SELECT price * qty AS amount FROM items ORDER BY amount")
                        .columns())
                .extracting(ColumnRef::name)
                .containsExactly("price", "qty");
    }

    @Test
    void writesTheTablesOfTheAssignedColumnsInAMultiTableUpdate() {
        assertThat(facts("UPDATE a JOIN b ON a.id = b.id SET b.x = a.y").tables())
                .containsExactlyInAnyOrder(
                        new TableRef("app", "b", TableAccess.WRITE), new TableRef("app", "a", TableAccess.READ));
    }
}
