package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskedColumnsTest {

    private static final SourceColumn SSN = new SourceColumn("shop", "customers", "ssn");

    @Test
    void matchesAnExactPatternIgnoringCase() {
        assertThat(MaskedColumns.of("SHOP.Customers.SSN").matches(SSN)).isTrue();
    }

    @Test
    void matchesWildcardsWithinOnePartOnly() {
        assertThat(MaskedColumns.of("*.*.ssn").matches(SSN)).isTrue();
        assertThat(MaskedColumns.of("shop.cust*.s*").matches(SSN)).isTrue();
    }

    @Test
    void doesNotMatchAnotherColumn() {
        assertThat(MaskedColumns.of("shop.customers.email", "crm.*.ssn").matches(SSN))
                .isFalse();
    }

    @Test
    void treatsRegexCharactersLiterally() {
        assertThat(MaskedColumns.of("shop.customers.[s]sn").matches(SSN)).isFalse();
    }

    @Test
    void refusesAPatternWithoutThreeParts() {
        assertThatThrownBy(() -> MaskedColumns.of("customers.ssn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "masked column pattern must be schema.table.column (with * wildcards), was 'customers.ssn'");
    }

    @Test
    void saysAValueOfUnknownOriginMayCarryAMaskedColumn() {
        assertThat(MaskedColumns.of("*.*.ssn").carries(ColumnSources.UNKNOWN)).isTrue();
        assertThat(MaskedColumns.NONE.carries(ColumnSources.UNKNOWN)).isFalse();
        assertThat(MaskedColumns.of("*.*.ssn").carries(new ColumnSources(Set.of(SSN), false)))
                .isTrue();
        assertThat(MaskedColumns.of("*.*.ssn").carries(ColumnSources.NONE)).isFalse();
    }
}
