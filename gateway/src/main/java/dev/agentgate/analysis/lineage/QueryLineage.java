package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperation;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.UnionOp;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Computes the {@link Relation} of query blocks (SELECT, UNION/INTERSECT/EXCEPT, VALUES, TABLE, CTEs) and
 * reports the masked columns their WHERE / GROUP BY / HAVING / ORDER BY / windows use. FROM clauses are
 * resolved by {@link FromClauseLineage}. Whatever cannot be resolved is recorded as a gap, which makes the
 * statement's lineage incomplete. One instance per statement (or view body); not thread-safe.
 */
final class QueryLineage {

    private static final int MAX_RECURSIVE_CTE_ROUNDS = 8;

    private final LineageContext context;
    private final String currentDatabase;
    private final MaskedColumnUses uses;
    private final FromClauseLineage from;
    private final Set<PlainSelect> walkedBlocks = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> gaps = new ArrayList<>();
    private final Set<String> columnNames = new HashSet<>();

    QueryLineage(LineageContext context, String currentDatabase, MaskedColumnUses uses) {
        this.context = context;
        this.currentDatabase = currentDatabase;
        this.uses = uses;
        this.from = new FromClauseLineage(this);
    }

    LineageContext context() {
        return context;
    }

    String currentDatabase() {
        return currentDatabase;
    }

    MaskedColumnUses uses() {
        return uses;
    }

    /** Records why the lineage is incomplete. */
    void gap(String reason) {
        if (!gaps.contains(reason)) {
            gaps.add(reason);
        }
    }

    /**
     * Records a part of the statement the walk did not analyse: a gap, and under masking an unknown use, since what
     * that part does with a masked value (test it, convert it, select by it) is not known.
     */
    void unanalysed(String reason) {
        gap(reason);
        uses.reportUnseen(MaskedUse.COMPUTATION, reason);
    }

    List<String> gaps() {
        return List.copyOf(gaps);
    }

    /** Notes a name the walk resolved as a column reference. */
    void sawColumn(String name) {
        columnNames.add(name.toLowerCase(Locale.ROOT));
    }

    boolean resolvedColumnNamed(String name) {
        return columnNames.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Takes in what a walk of a part of the same statement (a new view's body) found. */
    void include(QueryLineage part) {
        walkedBlocks.addAll(part.walkedBlocks);
        columnNames.addAll(part.columnNames);
        part.gaps.forEach(this::gap);
    }

    int walkedSelectBlocks() {
        return walkedBlocks.size();
    }

    FromClauseLineage from() {
        return from;
    }

    /** The relation a query yields; {@code outer} is the enclosing block (for correlated references). */
    Relation query(Select select, LineageScope outer) {
        LineageScope scope = outer.child();
        withItems(select, scope);
        if (select instanceof PlainSelect plain) {
            return plainSelect(plain, scope);
        }
        if (select instanceof SetOperationList union) {
            Relation result = null;
            for (Select branch : union.getSelects()) {
                Relation relation = query(branch, scope);
                result = result == null ? relation : result.unionByPosition(relation);
            }
            reportDeduplication(union, result);
            return orderedBy(result, union.getOrderByElements(), scope);
        }
        if (select instanceof ParenthesedSelect parenthesed) {
            return orderedBy(query(parenthesed.getSelect(), scope), parenthesed.getOrderByElements(), scope);
        }
        if (select instanceof Values values) {
            return values(values.getExpressions(), scope);
        }
        if (select instanceof TableStatement table) {
            return from.source(table.getTable(), scope);
        }
        unanalysed("query of an unsupported kind: " + select.getClass().getSimpleName());
        return Relation.OPAQUE;
    }

    private Relation plainSelect(PlainSelect select, LineageScope scope) {
        walkedBlocks.add(select);
        Relation star = from.fromClause(select.getFromItem(), select.getJoins(), scope);
        List<Relation.Column> outputs = new ArrayList<>();
        boolean complete = true;
        for (SelectItem<?> item : select.getSelectItems()) {
            List<Relation.Column> columns = new ArrayList<>();
            boolean known = selectItem(item, scope, star, columns);
            columns.forEach(column -> scope.addOutput(column.name(), column.sources()));
            if (complete) {
                outputs.addAll(columns); // after a star of unknown width, positions are unknown
            }
            complete &= known;
        }
        if (select.getDistinct() != null) {
            // the number of rows DISTINCT leaves reveals how the values compare (SELECT DISTINCT IF(ssn LIKE '8%', 1,
            // 2))
            outputs.forEach(column -> uses.report(column.sources(), MaskedUse.GROUP, "DISTINCT"));
        }
        report(select.getWhere(), scope, MaskedUse.FILTER, "WHERE", false);
        if (select.getGroupBy() != null) {
            reportAll(select.getGroupBy().getGroupByExpressionList(), scope, MaskedUse.GROUP, "GROUP BY");
        }
        report(select.getHaving(), scope, MaskedUse.FILTER, "HAVING", true);
        orderBy(select.getOrderByElements(), scope, "ORDER BY");
        if (select.getWindowDefinitions() != null) {
            for (WindowDefinition window : select.getWindowDefinitions()) {
                reportAll(window.getPartitionExpressionList(), scope, MaskedUse.GROUP, "window PARTITION BY");
                orderBy(window.getOrderByElements(), scope, "window ORDER BY");
            }
        }
        return new Relation(outputs, complete);
    }

    /** Adds the columns of one select-list item; false when how many there are is unknown (a star over an unknown table). */
    private boolean selectItem(SelectItem<?> item, LineageScope scope, Relation star, List<Relation.Column> columns) {
        Expression expression = item.getExpression();
        if (expression instanceof AllTableColumns tableColumns) {
            Relation relation = scope.source(
                            Names.unquote(tableColumns.getTable().getSchemaName()),
                            Names.unquote(tableColumns.getTable().getName()))
                    .map(LineageScope.Source::relation)
                    .orElse(Relation.OPAQUE);
            columns.addAll(relation.columns());
            return complete(relation, "columns of " + tableColumns);
        }
        if (expression instanceof AllColumns) {
            columns.addAll(star.columns());
            return complete(star, "columns of *");
        }
        String alias = aliasOf(item);
        columns.add(new Relation.Column(
                alias != null ? alias : expression.toString(), ExpressionLineage.of(expression, scope, this)));
        return true;
    }

    private boolean complete(Relation relation, String what) {
        if (!relation.complete()) {
            gap(what + " not known");
        }
        return relation.complete();
    }

    private static String aliasOf(SelectItem<?> item) {
        if (item.getAlias() != null) {
            return Names.unquote(item.getAlias().getName());
        }
        return item.getExpression() instanceof net.sf.jsqlparser.schema.Column column
                ? Names.unquote(column.getColumnName())
                : null;
    }

    private void withItems(Select select, LineageScope scope) {
        if (select.getWithItemsList() != null) {
            select.getWithItemsList().forEach(item -> new CteLineage(this).define(item, scope));
        }
    }

    /** UNION (not ALL), INTERSECT, EXCEPT compare the rows of their branches: the rows left reveal the values. */
    private void reportDeduplication(SetOperationList operations, Relation result) {
        for (SetOperation operation : operations.getOperations()) {
            if (!(operation instanceof UnionOp union && union.isAll())) {
                String kind = operation.toString().trim().toUpperCase(Locale.ROOT);
                result.columns().forEach(column -> uses.report(column.sources(), MaskedUse.GROUP, kind));
                return;
            }
        }
    }

    /** Per position, the union of the rows' values; columns named column_0, column_1, ... as MySQL does. */
    private Relation values(ExpressionList<?> rows, LineageScope scope) {
        List<ColumnSources> positions = new ArrayList<>();
        for (Expression row : rows) {
            List<? extends Expression> cells = cells(row);
            for (int i = 0; i < cells.size(); i++) {
                ColumnSources cell = ExpressionLineage.of(cells.get(i), scope, this);
                if (i < positions.size()) {
                    positions.set(i, positions.get(i).union(cell));
                } else {
                    positions.add(cell);
                }
            }
        }
        List<Relation.Column> columns = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            columns.add(new Relation.Column("column_" + i, positions.get(i)));
        }
        return new Relation(columns, true);
    }

    /** The cells of a VALUES row: JSqlParser reads {@code ROW(a, b)} as a call of a function ROW. */
    private static List<? extends Expression> cells(Expression row) {
        if (row instanceof net.sf.jsqlparser.expression.Function function
                && "ROW".equalsIgnoreCase(function.getName())
                && function.getParameters() != null) {
            return function.getParameters();
        }
        return row instanceof ExpressionList<?> list ? list : List.of(row);
    }

    /** ORDER BY of a UNION or parenthesed query: it names the result's columns. */
    private Relation orderedBy(Relation result, List<OrderByElement> order, LineageScope outer) {
        if (order != null && !order.isEmpty()) {
            LineageScope scope = outer.child();
            scope.addSource(new LineageScope.Source(null, null, null, result));
            result.columns().forEach(column -> scope.addOutput(column.name(), column.sources()));
            orderBy(order, scope, "ORDER BY");
        }
        return result;
    }

    private void orderBy(List<OrderByElement> order, LineageScope scope, String clause) {
        if (order != null) {
            order.forEach(element -> report(element.getExpression(), scope, MaskedUse.ORDER, clause, true));
        }
    }

    private void reportAll(ExpressionList<?> expressions, LineageScope scope, MaskedUse use, String clause) {
        if (expressions != null) {
            expressions.forEach(expression -> report(expression, scope, use, clause, true));
        }
    }

    /** Reports the masked columns of a clause's expression. */
    void report(Expression expression, LineageScope scope, MaskedUse use, String clause, boolean selectAliasesVisible) {
        if (expression != null) {
            uses.report(ExpressionLineage.ofClause(expression, scope, this, selectAliasesVisible), use, clause);
        }
    }
}
