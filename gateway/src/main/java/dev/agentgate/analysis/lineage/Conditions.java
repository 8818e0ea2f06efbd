package dev.agentgate.analysis.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.FullTextSearch;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MemberOfExpression;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;

/**
 * Predicates inside values: a comparison, LIKE, REGEXP, IN, BETWEEN, the condition of IF / CASE, NULLIF,
 * STRCMP, INTERVAL(), FIELD(), FIND_IN_SET() ... Whatever a value depends on through a condition can be
 * inferred from it ({@code IF(ssn LIKE '8%', NULL, 'x')} tells the first digit though no masked value is
 * output), so the masked columns of the tested operands are reported as {@code filter}. AND/OR/NOT are no
 * conditions of their own (their comparisons are; a bare column tested for truth is an IF / CASE condition).
 */
final class Conditions {

    /** Functions that compare their arguments (all of them). */
    private static final Set<String> COMPARING_FUNCTIONS = Set.of(
            "NULLIF",
            "STRCMP",
            "INTERVAL",
            "FIELD",
            "FIND_IN_SET",
            "REGEXP_LIKE",
            "REGEXP_INSTR",
            "JSON_CONTAINS",
            "JSON_OVERLAPS",
            "DECODE",
            "DECODE_ORACLE");
    /** Functions whose first argument is a condition. */
    private static final Set<String> CONDITIONAL_FUNCTIONS = Set.of("IF", "NVL2");

    private Conditions() {}

    static boolean isCondition(Object node) {
        return !testedOperands(node).isEmpty();
    }

    /** The operands {@code node} tests; empty when it is no condition. */
    static List<Expression> testedOperands(Object node) {
        if (node instanceof ComparisonOperator
                || node instanceof LikeExpression
                || node instanceof RegExpMatchOperator
                || node instanceof SimilarToExpression
                || node instanceof InExpression
                || node instanceof Between
                || node instanceof IsBooleanExpression
                || node instanceof IsDistinctExpression
                || node instanceof MemberOfExpression
                || node instanceof FullTextSearch) {
            return List.of((Expression) node);
        }
        if (node instanceof CaseExpression caseExpression) {
            List<Expression> tested = new ArrayList<>();
            if (caseExpression.getSwitchExpression() != null) {
                tested.add(caseExpression.getSwitchExpression());
            }
            caseExpression.getWhenClauses().stream()
                    .map(WhenClause::getWhenExpression)
                    .forEach(tested::add);
            return tested;
        }
        if (node instanceof Function function
                && function.getName() != null
                && function.getParameters() != null
                && !function.getParameters().isEmpty()) {
            String name = function.getName().toUpperCase(Locale.ROOT);
            if (COMPARING_FUNCTIONS.contains(name)) {
                return List.of(function.getParameters());
            }
            if (CONDITIONAL_FUNCTIONS.contains(name)) {
                return List.of(function.getParameters().get(0));
            }
        }
        return List.of();
    }

    static String describe(Object node) {
        if (node instanceof Function function) {
            return function.getName().toUpperCase(Locale.ROOT);
        }
        return node instanceof CaseExpression ? "CASE" : "a comparison";
    }
}
