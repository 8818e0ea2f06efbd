package dev.agentgate.analysis;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Reports the columns of an expression, attributed through the scope's aliases, with the use given as the
 * visitor context. Subqueries inside the expression are walked as nested query blocks.
 */
final class ColumnCollector extends ExpressionVisitorAdapter<Void> {

    /** Words JSqlParser may hand over as columns although MySQL reads them as values. */
    private static final Set<String> NOT_COLUMNS = Set.of(
            "TRUE",
            "FALSE",
            "NULL",
            "DEFAULT",
            "CURRENT_TIMESTAMP",
            "CURRENT_DATE",
            "CURRENT_TIME",
            "CURRENT_USER",
            "LOCALTIME",
            "LOCALTIMESTAMP",
            "UNKNOWN");

    private final QueryWalker walker;
    private final QueryScope scope;
    private final StatementFacts.Builder facts;

    ColumnCollector(QueryWalker walker, QueryScope scope, StatementFacts.Builder facts) {
        this.walker = walker;
        this.scope = scope;
        this.facts = facts;
    }

    void collect(Expression expression, ColumnUse use) {
        if (expression != null) {
            expression.accept(this, use);
        }
    }

    @Override
    public <S> Void visit(Column column, S context) {
        if (column.getColumnName().startsWith("\"") && column.getTable() == null) {
            return null; // "text" is a string in MySQL's default sql_mode, JSqlParser reads it as a quoted name
        }
        String name = Names.unquote(column.getColumnName());
        Table qualifier = column.getTable();
        QueryScope.BaseTable table;
        if (qualifier == null || qualifier.getName() == null) {
            boolean aliasReference = scope.isSelectAlias(name) && context != ColumnUse.SELECT;
            if (aliasReference || NOT_COLUMNS.contains(name.toUpperCase(Locale.ROOT))) {
                return null;
            }
            table = scope.resolveUnqualified();
        } else {
            table = scope.resolveQualifier(
                    Names.unquote(qualifier.getSchemaName()), Names.unquote(qualifier.getName()));
        }
        facts.column(table.schema(), table.name(), name, (ColumnUse) context);
        return null;
    }

    /** COUNT(*) reads no column; other calls are walked for their arguments. */
    @Override
    public <S> Void visit(Function function, S context) {
        ExpressionList<?> parameters = function.getParameters();
        boolean star = function.isAllColumns()
                || (parameters != null && parameters.size() == 1 && parameters.get(0) instanceof AllColumns);
        return star ? null : super.visit(function, context);
    }

    @Override
    public <S> Void visit(AllColumns allColumns, S context) {
        QueryScope.BaseTable table = scope.resolveUnqualified();
        facts.column(table.schema(), table.name(), "*", ColumnUse.SELECT);
        return null;
    }

    @Override
    public <S> Void visit(AllTableColumns allTableColumns, S context) {
        Table qualifier = allTableColumns.getTable();
        QueryScope.BaseTable table =
                scope.resolveQualifier(Names.unquote(qualifier.getSchemaName()), Names.unquote(qualifier.getName()));
        facts.column(table.schema(), table.name(), "*", ColumnUse.SELECT);
        return null;
    }

    /** x > ANY (SELECT ...): the subquery is a query block of its own. */
    @Override
    public <S> Void visit(AnyComparisonExpression any, S context) {
        walker.select(any.getSelect(), scope.child());
        return null;
    }

    /** Window functions: PARTITION BY groups, ORDER BY orders. */
    @Override
    public <S> Void visit(AnalyticExpression analytic, S context) {
        collect(analytic.getExpression(), (ColumnUse) context);
        collect(analytic.getPartitionExpressionList(), ColumnUse.GROUP);
        if (analytic.getOrderByElements() != null) {
            analytic.getOrderByElements().forEach(element -> collect(element.getExpression(), ColumnUse.ORDER));
        }
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        walker.select(select, scope.child());
        return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
        walker.select(select, scope.child());
        return null;
    }
}
