package dev.agentgate.analysis.lineage;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Where a masked value may go inside a value, by allow-list: from a column, through parentheses, COLLATE, scalar
 * subqueries (whose own select lists are checked where they are walked) and the arguments {@link TotalFunctions}
 * accepts, into the result. The outermost expression of any other kind whose lineage carries a masked column is
 * reported as a {@link MaskedUse#COMPUTATION}: what the analysis does not know to be total counts as a use.
 */
final class ValueFlow {

    /** The name of a call JSqlParser keeps in a node of its own (JSON_OBJECT, GROUP_CONCAT, TRIM, ...). */
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z_0-9]*)\\s*\\(");

    private final MaskedColumnUses uses;
    private final Function<Expression, ColumnSources> lineage;

    /** @param lineage the lineage of a sub-expression in the value's scope */
    ValueFlow(MaskedColumnUses uses, Function<Expression, ColumnSources> lineage) {
        this.uses = uses;
        this.lineage = lineage;
    }

    /** Checks a value whose lineage is {@code sources}. */
    void check(Expression value, ColumnSources sources) {
        if (value == null || !carriesMasked(sources)) {
            return;
        }
        if (value instanceof Column || value instanceof Select || value instanceof UserVariable) {
            return; // a source: what it carries goes into the result, which is masked
        }
        if (value instanceof net.sf.jsqlparser.expression.Function function
                && ExpressionLineage.isValueSource(function)) {
            opaqueArguments(
                    function); // a stored function or LOAD_FILE(): a source, but what it does with its arguments is not
            // known
            return;
        }
        if (value instanceof ExpressionList<?> list) { // also (x): a Parenthesis is a list of one
            list.forEach(this::check);
        } else if (value instanceof CollateExpression collate) {
            check(collate.getLeftExpression());
        } else if (value instanceof net.sf.jsqlparser.expression.Function function
                && TotalFunctions.isTotal(function)) {
            arguments(function);
        } else {
            uses.report(sources, MaskedUse.COMPUTATION, describe(value) + " is not on the list of total functions");
        }
    }

    private void check(Expression value) {
        if (value != null) {
            check(value, lineage.apply(value));
        }
    }

    private void arguments(net.sf.jsqlparser.expression.Function function) {
        List<? extends Expression> arguments =
                arguments(function.getParameters() != null ? function.getParameters() : function);
        for (int i = 0; i < arguments.size(); i++) {
            if (TotalFunctions.accepts(function, i)) {
                check(arguments.get(i));
            } else {
                reportArgument(function, i, arguments.get(i), "is converted to a number");
            }
        }
    }

    private void opaqueArguments(net.sf.jsqlparser.expression.Function function) {
        List<? extends Expression> arguments =
                arguments(function.getParameters() != null ? function.getParameters() : function);
        for (int i = 0; i < arguments.size(); i++) {
            reportArgument(function, i, arguments.get(i), "goes where the analysis does not follow");
        }
    }

    private void reportArgument(
            net.sf.jsqlparser.expression.Function function, int index, Expression argument, String why) {
        ColumnSources sources = lineage.apply(argument);
        if (carriesMasked(sources)) {
            uses.report(
                    sources,
                    MaskedUse.COMPUTATION,
                    "argument " + (index + 1) + " of " + describe(function) + " " + why);
        }
    }

    private static List<? extends Expression> arguments(Object parametersOrFunction) {
        if (parametersOrFunction instanceof ExpressionList<?> parameters) {
            return parameters;
        }
        net.sf.jsqlparser.expression.Function function = (net.sf.jsqlparser.expression.Function) parametersOrFunction;
        return function.getNamedParameters() != null
                ? function.getNamedParameters().getExpressions()
                : List.of();
    }

    /** Whether the value may carry a masked one: a masked source, or an origin the analysis cannot see (opaque). */
    private boolean carriesMasked(ColumnSources sources) {
        return sources.opaque() || sources.columns().stream().anyMatch(uses.masked()::matches);
    }

    /** What a construct is called in a refusal: {@code LOCATE()}, {@code CASE}, {@code CAST}, else its kind. */
    static String describe(Expression expression) {
        if (expression instanceof net.sf.jsqlparser.expression.Function function && function.getName() != null) {
            return function.getName().toUpperCase(Locale.ROOT) + "()";
        }
        if (expression instanceof CaseExpression) {
            return "CASE";
        }
        if (expression instanceof CastExpression cast) {
            return cast.keyword == null ? "CAST" : cast.keyword.toUpperCase(Locale.ROOT);
        }
        if (expression instanceof BinaryExpression operator) {
            return "operator " + operator.getStringExpression().trim().toUpperCase(Locale.ROOT);
        }
        Matcher call = CALL.matcher(expression.toString());
        if (call.lookingAt()) {
            return call.group(1).toUpperCase(Locale.ROOT) + "()";
        }
        String kind = expression.getClass().getSimpleName().replaceAll("(Expression|Operator|Value)$", "");
        return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
