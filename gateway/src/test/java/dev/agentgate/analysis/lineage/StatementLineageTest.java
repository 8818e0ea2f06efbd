package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StatementLineageTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(Duration.ofSeconds(10));
    private static final ColumnLineage LINEAGE = new ColumnLineage(ANALYZER);

    @AfterAll
    static void closeAnalyzer() {
        ANALYZER.close();
    }

    private static List<StatementLineage> analyze(String sql) {
        return LINEAGE.analyze(sql, "shop", ShopCatalog.catalog(), ShopCatalog.MASKED);
    }

    @Test
    void serialisesToSnakeCaseJsonForThePolicyInput() throws Exception {
        String json = new ObjectMapper()
                .writeValueAsString(analyze("SELECT ssn AS s FROM customers WHERE email = 'x'")
                        .get(0));
        assertThat(json)
                .isEqualTo("{\"sql\":\"SELECT ssn AS s FROM customers WHERE email = 'x'\","
                        + "\"columns\":[{\"name\":\"s\",\"sources\":[\"shop.customers.ssn\"],\"unknown\":false}],"
                        + "\"complete\":true,\"incomplete_reason\":null,"
                        + "\"masked_uses\":[{\"column\":\"shop.customers.email\",\"use\":\"filter\",\"detail\":\"WHERE\"}],"
                        + "\"diagnostics\":\"withheld\"}");
    }

    @Test
    void answersUnknownForAColumnPastTheKnownOnes() {
        StatementLineage statement =
                analyze("SELECT id, x.* FROM customers, secrets x").get(0);
        assertThat(statement.sourcesOf(0).columns()).containsExactly(new SourceColumn("shop", "customers", "id"));
        assertThat(statement.sourcesOf(1)).isEqualTo(ColumnSources.UNKNOWN);
        assertThat(statement.complete()).isFalse();
    }

    @Test
    void givesOneLineagePerStatementOfABatch() {
        List<StatementLineage> statements =
                analyze("SELECT name FROM customers; SELECT ssn FROM customers WHERE phone = '1'");
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).maskedUses()).isEmpty();
        assertThat(statements.get(1).columns()).extracting(OutputColumn::name).containsExactly("ssn");
        assertThat(statements.get(1).maskedUses())
                .extracting(MaskedColumnUse::column)
                .containsExactly("shop.customers.phone");
    }

    @Test
    void followsAUseStatementWithinABatch() {
        List<StatementLineage> statements = analyze("USE crm; SELECT phone FROM leads");
        assertThat(statements.get(1).sourcesOf(0).columns()).containsExactly(new SourceColumn("crm", "leads", "phone"));
    }

    @Test
    void saysWhetherAnyOutputCarriesAMaskedColumn() {
        assertThat(analyze("SELECT name FROM customers").get(0).carriesAny(ShopCatalog.MASKED))
                .isFalse();
        assertThat(analyze("SELECT LOWER(email) FROM customers").get(0).carriesAny(ShopCatalog.MASKED))
                .isTrue();
    }

    @Test
    void resolvesNothingWithoutACurrentDatabase() {
        StatementLineage statement = LINEAGE.analyze(
                        "SELECT ssn FROM customers", null, ShopCatalog.catalog(), ShopCatalog.MASKED)
                .get(0);
        assertThat(statement.sourcesOf(0)).isEqualTo(ColumnSources.UNKNOWN);
        assertThat(statement.incompleteReason()).isEqualTo("table customers not in the catalog");
    }

    @Test
    void namesTheFunctionThatIsNotTotalInTheDetailOfAComputation() {
        assertThat(analyze("SELECT ELT(LOCATE('7', ssn), 'a', (SELECT id FROM products)) FROM customers")
                        .get(0)
                        .maskedUses())
                .containsExactly(new MaskedColumnUse(
                        "shop.customers.ssn", MaskedUse.COMPUTATION, "ELT() is not on the list of total functions"));
    }

    @Test
    void namesTheArgumentAMaskedValueMayNotTake() {
        assertThat(analyze("SELECT SUBSTRING(name, ssn) FROM customers").get(0).maskedUses())
                .containsExactly(new MaskedColumnUse(
                        "shop.customers.ssn",
                        MaskedUse.COMPUTATION,
                        "argument 2 of SUBSTRING() is converted to a number"));
    }

    @Test
    void reportsTheMaskedColumnsAnUpdateWritesAndCopies() {
        assertThat(analyze("UPDATE customers SET name = ssn, email = 'x' WHERE id = 1")
                        .get(0)
                        .maskedUses())
                .containsExactly(
                        new MaskedColumnUse("shop.customers.ssn", MaskedUse.COPY, "UPDATE customers SET name"),
                        new MaskedColumnUse("shop.customers.email", MaskedUse.WRITE, "UPDATE customers SET"));
    }

    @Test
    void reportsTheColumnsANaturalJoinCompares() {
        assertThat(analyze("SELECT 1 FROM customers NATURAL JOIN crm.leads")
                        .get(0)
                        .maskedUses())
                .containsExactly(
                        new MaskedColumnUse("shop.customers.email", MaskedUse.JOIN, "NATURAL JOIN on email"),
                        new MaskedColumnUse("crm.leads.phone", MaskedUse.JOIN, "NATURAL JOIN on phone"),
                        new MaskedColumnUse("shop.customers.phone", MaskedUse.JOIN, "NATURAL JOIN on phone"));
    }

    @Test
    void takesABuiltinNameInBackticksForAStoredFunctionWhoseArgumentsGoUnfollowed() {
        assertThat(analyze("SELECT `COUNT` (ssn) FROM customers").get(0).maskedUses())
                .extracting(MaskedColumnUse::column, MaskedColumnUse::use)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, MaskedUse.DYNAMIC_SQL),
                        org.assertj.core.groups.Tuple.tuple("shop.customers.ssn", MaskedUse.COMPUTATION));
    }
}
