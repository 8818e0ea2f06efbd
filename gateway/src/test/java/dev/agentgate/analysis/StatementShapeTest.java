package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A statement's shape stands for every statement with the same facts and lineage: two statements may share it
 * only when they differ in literal values the analysis never reads. A shape keyed too loosely reuses one
 * statement's masking for another, so most cases here are pairs that must not share one.
 */
class StatementShapeTest {

    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer();

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    private static StatementKey key(String sql) {
        return ANALYZER.singleStatementKey(sql).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT id, name, ssn FROM customers WHERE id = 1 | SELECT id, name, ssn FROM customers WHERE id = 987654",
                "SELECT name FROM customers WHERE name LIKE 'a%' LIMIT 10 | SELECT name FROM customers WHERE name LIKE 'zz' LIMIT 3",
                "SELECT name FROM customers WHERE id IN (1, 2, 3) | SELECT name FROM customers WHERE id IN (7, 8, 9)",
                "SELECT name FROM customers WHERE id BETWEEN 1 AND 5 | SELECT name FROM customers WHERE id BETWEEN 10 AND 50",
                "SELECT id + 1 FROM customers | SELECT id + 100 FROM customers",
                "SELECT name FROM customers WHERE name = 'x' | SELECT name FROM customers WHERE name = ''"
            })
    void statementsThatDifferOnlyInOperandValuesShareAShape(String one, String other) {
        assertThat(key(one).shape()).isEqualTo(key(other).shape());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a column position: ORDER BY 2 orders by the second column, ORDER BY 1 by the first
                "SELECT ssn, name FROM customers ORDER BY 2 | SELECT ssn, name FROM customers ORDER BY 1",
                "SELECT ssn, name FROM customers GROUP BY 2 | SELECT ssn, name FROM customers GROUP BY 1",
                "SELECT ssn, name FROM customers ORDER BY name, 2 | SELECT ssn, name FROM customers ORDER BY name, 1",
                // MariaDB reads a plus sign before a position as no sign at all
                "SELECT ssn, name FROM customers ORDER BY +2 | SELECT ssn, name FROM customers ORDER BY +1",
                // comparing with a number converts the column (its value shows in a warning), with a string not
                "SELECT ssn = 5 FROM customers | SELECT ssn = '5' FROM customers",
                "SELECT ssn = 5 FROM customers | SELECT ssn = 5.0 FROM customers",
                "SELECT ssn = 5.0 FROM customers | SELECT ssn = 5e0 FROM customers",
                "SELECT ssn = 'A' FROM customers | SELECT ssn = X'41' FROM customers",
                "SELECT ssn = X'41' FROM customers | SELECT ssn = b'1000001' FROM customers",
                "SELECT ssn = 'A' FROM customers | SELECT ssn = _latin1'A' FROM customers",
                "SELECT name FROM customers WHERE id IN (1, 2) | SELECT name FROM customers WHERE id IN (1, '2')",
                // text that is SQL, a name, or a unit
                "EXECUTE IMMEDIATE 'SELECT name FROM customers' | EXECUTE IMMEDIATE 'SELECT ssn FROM customers'",
                "SELECT ssn AS 'a' FROM customers | SELECT ssn AS 'b' FROM customers",
                "SELECT name FROM customers WHERE id = - 5 | SELECT name FROM customers WHERE id = - 6",
                "SELECT JSON_VALUE(doc, '$.a') FROM customers | SELECT JSON_VALUE(doc, '$.ssn') FROM customers",
                "SELECT name FROM customers LIMIT 5, 10 | SELECT name FROM customers LIMIT 5, 20"
            })
    void statementsWhoseLiteralsMayMatterHaveShapesOfTheirOwn(String one, String other) {
        assertThat(key(one).digest()).isEqualTo(key(other).digest());
        assertThat(key(one).shape()).isNotEqualTo(key(other).shape());
    }

    @Test
    void aStatementWhoseStringHoldsAnEscapeDoesNotStandForItsShape() {
        assertThat(key("SELECT name FROM customers WHERE name = 'O\\'Brien'").representative())
                .isFalse();
        assertThat(key("SELECT name FROM customers WHERE name = 'OBrien'").representative())
                .isTrue();
    }
}
