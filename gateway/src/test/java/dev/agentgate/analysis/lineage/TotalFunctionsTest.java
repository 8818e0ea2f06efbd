package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.sf.jsqlparser.expression.Function;
import org.junit.jupiter.api.Test;

class TotalFunctionsTest {

    private static Function call(String... name) {
        return new Function().withName(List.of(name));
    }

    @Test
    void aFunctionTotalInEveryArgumentAcceptsAMaskedValueAnywhere() {
        assertThat(List.of("CONCAT", "concat_ws", "Upper", "MD5", "MAX", "LENGTH"))
                .allSatisfy(name -> assertThat(TotalFunctions.accepts(call(name), 3))
                        .as(name)
                        .isTrue());
    }

    @Test
    void aFunctionTotalInItsFirstArgumentRefusesAMaskedPositionOrLength() {
        assertThat(TotalFunctions.accepts(call("SUBSTRING"), 0)).isTrue();
        assertThat(TotalFunctions.accepts(call("SUBSTRING"), 1))
                .as("the position is converted to an integer")
                .isFalse();
        assertThat(TotalFunctions.accepts(call("LEFT"), 1)).isFalse();
    }

    @Test
    void selectorsSearchesAndConversionsAreNotTotal() {
        assertThat(List.of(
                        "ELT",
                        "LOCATE",
                        "INSTR",
                        "FIELD",
                        "COALESCE",
                        "IFNULL",
                        "NULLIF",
                        "IF",
                        "GROUP_CONCAT",
                        "REPEAT",
                        "JSON_OBJECT",
                        "CAST",
                        "SLEEP",
                        "BENCHMARK",
                        "EXTRACTVALUE"))
                .allSatisfy(name ->
                        assertThat(TotalFunctions.isTotal(call(name))).as(name).isFalse());
    }

    @Test
    void aStoredFunctionNamedLikeATotalOneIsNotTotal() {
        assertThat(TotalFunctions.isTotal(call("shop", "concat")))
                .as("schema-qualified")
                .isFalse();
        assertThat(TotalFunctions.isTotal(call("`concat`"))).as("quoted").isFalse();
    }

    @Test
    void aTotalAggregateWithDistinctIsNotTotal() {
        Function distinct = call("COUNT");
        distinct.setDistinct(true);
        assertThat(TotalFunctions.isTotal(distinct)).isFalse();
    }

    @Test
    void replaceIsNotTotalBecauseItsCostAndSizeDependOnTheValue() {
        assertThat(TotalFunctions.isTotal(call("REPLACE")))
                .as("REPLACE(ssn, '7', <10 MB>) grows and takes time with every 7 in ssn")
                .isFalse();
    }
}
