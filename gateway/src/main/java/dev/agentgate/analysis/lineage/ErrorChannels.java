package dev.agentgate.analysis.lineage;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.statement.create.table.ColDataType;

/**
 * Expressions whose errors or warnings quote the value they work on, so that a masked value leaks through the
 * message: conversions to numbers and dates ("Truncated incorrect DOUBLE value: '123-45-6789'"), arithmetic,
 * and functions that quote their argument in an error (EXTRACTVALUE/UPDATEXML: "XPATH syntax error: '...'");
 * and SLEEP/BENCHMARK, whose duration reveals their argument (reported as inference, {@code filter}).
 */
final class ErrorChannels {

    /** Functions whose error messages quote their argument. */
    private static final Set<String> ERROR_ECHOING_FUNCTIONS = Set.of(
            "EXTRACTVALUE",
            "UPDATEXML",
            "GTID_SUBSET",
            "GTID_SUBTRACT",
            "ST_GEOMFROMTEXT",
            "ST_GEOMETRYFROMTEXT",
            "JSON_KEYS");

    /** Functions whose duration depends on their argument: the time to answer reveals it (inference). */
    private static final Set<String> TIMING_FUNCTIONS = Set.of("SLEEP", "BENCHMARK");

    private ErrorChannels() {}

    /** An expression through which a value leaks other than as a result: an error, a warning or timing. */
    static boolean isChannel(Object node) {
        return echoesValues(node) || isTiming(node);
    }

    static boolean isTiming(Object node) {
        return node instanceof Function function
                && function.getName() != null
                && TIMING_FUNCTIONS.contains(function.getName().toUpperCase(Locale.ROOT));
    }

    static boolean echoesValues(Object node) {
        if (node instanceof Function function && function.getName() != null) {
            return ERROR_ECHOING_FUNCTIONS.contains(function.getName().toUpperCase(Locale.ROOT));
        }
        if (node instanceof CastExpression cast) {
            ColDataType type = cast.getColDataType();
            return type == null
                    || !type.getDataType().toUpperCase(Locale.ROOT).matches("N?(VAR)?CHAR.*|BINARY.*|JSON.*|TEXT.*");
        }
        if (node instanceof ComparisonOperator comparison) {
            // comparing a string with a number converts it: "Truncated incorrect DOUBLE value: '...'"
            return isNumber(comparison.getLeftExpression()) || isNumber(comparison.getRightExpression());
        }
        return node instanceof Addition
                || node instanceof Subtraction
                || node instanceof Multiplication
                || node instanceof Division
                || node instanceof IntegerDivision
                || node instanceof Modulo
                || node instanceof SignedExpression;
    }

    private static boolean isNumber(Expression expression) {
        return expression instanceof LongValue
                || expression instanceof DoubleValue
                || (expression instanceof SignedExpression signed && isNumber(signed.getExpression()));
    }

    static String describe(Expression expression) {
        if (expression instanceof Function function) {
            return function.getName().toUpperCase(Locale.ROOT);
        }
        if (expression instanceof ComparisonOperator) {
            return "a comparison with a number";
        }
        return expression instanceof CastExpression ? "a conversion" : "arithmetic";
    }
}
