package dev.agentgate.analysis;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Walks query blocks (SELECT, UNION, VALUES, TABLE, CTEs, derived tables) and their FROM clauses, reporting the
 * base tables read and the columns used. Each block gets its own {@link QueryScope}.
 */
final class QueryWalker {

    private final StatementFacts.Builder facts;
    private final Set<PlainSelect> walkedBlocks = Collections.newSetFromMap(new IdentityHashMap<>());

    QueryWalker(StatementFacts.Builder facts) {
        this.facts = facts;
    }

    /** Walks a query whose base tables are all read. */
    void select(Select select, QueryScope scope) {
        if (select == null) {
            return;
        }
        withItems(select.getWithItemsList(), scope);
        if (select instanceof PlainSelect plain) {
            plainSelect(plain, scope);
        } else if (select instanceof SetOperationList union) {
            union.getSelects().forEach(branch -> select(branch, scope.child()));
            orderBy(union.getOrderByElements(), scope);
        } else if (select instanceof ParenthesedSelect parenthesed) {
            select(parenthesed.getSelect(), scope);
            orderBy(parenthesed.getOrderByElements(), scope);
        } else if (select instanceof Values values) {
            columns(scope).collect(values.getExpressions(), ColumnUse.SELECT);
        } else if (select instanceof TableStatement table) {
            fromItem(table.getTable(), scope);
            readAll(scope, List.of());
        }
    }

    void withItems(List<WithItem<?>> withItems, QueryScope scope) {
        if (withItems == null) {
            return;
        }
        for (WithItem<?> item : withItems) {
            scope.defineCte(Names.unquote(item.getAliasName()));
            select(item.getSelect(), scope.child());
        }
    }

    /** How many distinct SELECT blocks were walked, to prove that no subquery escaped the walk. */
    int walkedSelectBlocks() {
        return walkedBlocks.size();
    }

    private void plainSelect(PlainSelect select, QueryScope scope) {
        walkedBlocks.add(select);
        fromItem(select.getFromItem(), scope);
        joinSources(select.getJoins(), scope);
        ColumnCollector columns = columns(scope);
        for (SelectItem<?> item : select.getSelectItems()) {
            if (item.getAlias() != null) {
                scope.addSelectAlias(Names.unquote(item.getAlias().getName()));
            }
            columns.collect(item.getExpression(), ColumnUse.SELECT);
        }
        joinConditions(select.getJoins(), scope);
        columns.collect(select.getWhere(), ColumnUse.FILTER);
        columns.collect(select.getHaving(), ColumnUse.FILTER);
        if (select.getGroupBy() != null) {
            columns.collect(select.getGroupBy().getGroupByExpressionList(), ColumnUse.GROUP);
        }
        orderBy(select.getOrderByElements(), scope);
        readAll(scope, List.of());
    }

    /** Registers the sources of a FROM clause in the scope; subqueries among them are walked. */
    void fromItem(FromItem item, QueryScope scope) {
        if (item instanceof Table table) {
            String schema = Names.unquote(table.getSchemaName());
            String name = Names.unquote(table.getName());
            if (scope.isCte(schema, name)) {
                scope.addDerived(aliasOr(table.getAlias(), name));
            } else {
                scope.addBaseTable(scope.resolveTable(schema, name), aliasOr(table.getAlias(), null));
            }
        } else if (item instanceof ParenthesedSelect derived) {
            select(derived.getSelect(), scope.child());
            scope.addDerived(aliasOr(derived.getAlias(), null));
        } else if (item instanceof ParenthesedFromItem nested) {
            fromItem(nested.getFromItem(), scope);
            joinSources(nested.getJoins(), scope);
            joinConditions(nested.getJoins(), scope);
        } else if (item instanceof TableFunction function) {
            columns(scope).collect(function.getExpression(), ColumnUse.SELECT);
            scope.addDerived(aliasOr(function.getAlias(), null));
        } else if (item != null) {
            scope.addDerived(aliasOr(item.getAlias(), null));
        }
    }

    void joinSources(List<Join> joins, QueryScope scope) {
        if (joins != null) {
            joins.forEach(join -> fromItem(join.getFromItem(), scope));
        }
    }

    void joinConditions(List<Join> joins, QueryScope scope) {
        if (joins == null) {
            return;
        }
        ColumnCollector columns = columns(scope);
        for (Join join : joins) {
            Collection<Expression> conditions = join.getOnExpressions();
            if (conditions != null) {
                conditions.forEach(condition -> columns.collect(condition, ColumnUse.JOIN));
            }
            List<Column> using = join.getUsingColumns();
            if (using != null) {
                using.forEach(column -> columns.collect(column, ColumnUse.JOIN));
            }
        }
    }

    void orderBy(List<OrderByElement> elements, QueryScope scope) {
        if (elements != null) {
            ColumnCollector columns = columns(scope);
            elements.forEach(element -> columns.collect(element.getExpression(), ColumnUse.ORDER));
        }
    }

    ColumnCollector columns(QueryScope scope) {
        return new ColumnCollector(this, scope, facts);
    }

    /** Reports every base table of the block as read, except those the statement writes. */
    void readAll(QueryScope scope, Collection<QueryScope.BaseTable> written) {
        scope.baseTables().stream()
                .filter(table -> !written.contains(table))
                .forEach(table -> facts.table(table.schema(), table.name(), TableAccess.READ));
    }

    private static String aliasOr(Alias alias, String fallback) {
        return alias != null && alias.getName() != null ? Names.unquote(alias.getName()) : fallback;
    }
}
