package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.sf.jsqlparser.expression.Function;
import org.junit.jupiter.api.Test;

class BuiltinFunctionsTest {

    private static Function call(String... name) {
        return new Function().withName(List.of(name));
    }

    @Test
    void builtInsOfMySqlAndMariaDbAreKnownWhateverTheCase() {
        assertThat(List.of(
                        "CONCAT",
                        "substring",
                        "Json_Extract",
                        "ROW_NUMBER",
                        "GROUP_CONCAT",
                        "ST_AsText",
                        "COLUMN_GET",
                        "NEXTVAL",
                        "SLEEP"))
                .allSatisfy(name -> assertThat(BuiltinFunctions.isBuiltin(call(name)))
                        .as(name)
                        .isTrue());
    }

    @Test
    void anyOtherCallIsAStoredFunction() {
        assertThat(BuiltinFunctions.isBuiltin(call("ssn_fn"))).isFalse();
        assertThat(BuiltinFunctions.isBuiltin(call("shop", "upper")))
                .as("schema-qualified")
                .isFalse();
        assertThat(BuiltinFunctions.isBuiltin(call("`concat`"))).as("quoted").isFalse();
        assertThat(BuiltinFunctions.isBuiltin("my_agg")).isFalse();
    }
}
