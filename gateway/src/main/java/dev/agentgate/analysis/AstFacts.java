package dev.agentgate.analysis;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * The facts that need the syntax tree: tables read and written by queries and data changes, the columns and
 * their uses, WHERE and LIMIT of UPDATE/DELETE, and the queries inside CREATE TABLE ... SELECT / CREATE VIEW /
 * EXPLAIN. Targets of other DDL come from {@link TokenTables}, which needs no parse.
 */
final class AstFacts {

    private final StatementFacts.Builder facts;
    private final QueryWalker walker;
    private final String currentDatabase;

    private AstFacts(StatementFacts.Builder facts, String currentDatabase) {
        this.facts = facts;
        this.walker = new QueryWalker(facts);
        this.currentDatabase = currentDatabase;
    }

    /** Collects the facts; returns how many SELECT blocks were walked. */
    static int collect(Statement statement, String currentDatabase, StatementFacts.Builder facts) {
        AstFacts ast = new AstFacts(facts, currentDatabase);
        ast.statement(statement);
        return ast.walker.walkedSelectBlocks();
    }

    private void statement(Statement statement) {
        if (statement instanceof Select select) {
            walker.select(select, root());
        } else if (statement instanceof Insert insert) {
            QueryScope scope = root();
            walker.withItems(insert.getWithItemsList(), scope);
            insertLike(
                    insert.getTable(),
                    insert.getColumns(),
                    insert.getSelect(),
                    scope,
                    Arrays.asList(insert.getSetUpdateSets(), insert.getDuplicateUpdateSets()));
        } else if (statement instanceof Upsert upsert) {
            insertLike(
                    upsert.getTable(),
                    upsert.getColumns(),
                    upsert.getSelect(),
                    root(),
                    Arrays.asList(upsert.getUpdateSets(), upsert.getDuplicateUpdateSets()));
        } else if (statement instanceof Update update) {
            update(update);
        } else if (statement instanceof Delete delete) {
            delete(delete);
        } else if (statement instanceof CreateTable create) {
            walker.select(create.getSelect(), root());
            if (create.getLikeTable() != null) {
                Table like = create.getLikeTable();
                QueryScope.BaseTable source = root().resolveTable(schemaOf(like), Names.unquote(like.getName()));
                facts.table(source.schema(), source.name(), TableAccess.READ);
            }
        } else if (statement instanceof CreateView view) {
            walker.select(view.getSelect(), root());
        } else if (statement instanceof AlterView view) {
            walker.select(view.getSelect(), root());
        } else if (statement instanceof SetStatement set) {
            ColumnCollector values = walker.columns(root());
            for (int i = 0; i < set.getCount(); i++) {
                set.getExpressions(i).forEach(value -> values.collect(value, ColumnUse.SELECT));
            }
        } else if (statement instanceof ExplainStatement explain) {
            walker.select(explain.getStatement(), root());
        }
    }

    private void insertLike(
            Table table,
            ExpressionList<Column> columns,
            Select source,
            QueryScope sourceScope,
            List<List<UpdateSet>> updateSetGroups) {
        QueryScope targetScope = root();
        walker.fromItem(table, targetScope);
        QueryScope.BaseTable target = targetScope.baseTables().get(0);
        facts.table(target.schema(), target.name(), TableAccess.WRITE);
        if (columns != null) {
            columns.forEach(column -> facts.column(
                    target.schema(), target.name(), Names.unquote(column.getColumnName()), ColumnUse.WRITE));
        }
        walker.select(source, sourceScope);
        for (List<UpdateSet> sets : updateSetGroups) {
            assignments(sets, targetScope);
        }
    }

    private void update(Update update) {
        QueryScope scope = root();
        walker.withItems(update.getWithItemsList(), scope);
        walker.fromItem(update.getTable(), scope);
        walker.joinSources(update.getStartJoins(), scope);
        walker.fromItem(update.getFromItem(), scope);
        walker.joinSources(update.getJoins(), scope);
        Set<QueryScope.BaseTable> targets = assignments(update.getUpdateSets(), scope);
        if (targets.contains(QueryScope.UNKNOWN) || targets.isEmpty()) {
            targets.remove(QueryScope.UNKNOWN);
            targets.add(scope.resolveTable(
                    schemaOf(update.getTable()), Names.unquote(update.getTable().getName())));
        }
        filterAndOrder(
                scope, update.getStartJoins(), update.getJoins(), update.getWhere(), update.getOrderByElements());
        targets.forEach(table -> facts.table(table.schema(), table.name(), TableAccess.WRITE));
        walker.readAll(scope, targets);
        facts.whereClause(update.getWhere() != null).limitClause(update.getLimit() != null);
    }

    private void delete(Delete delete) {
        QueryScope scope = root();
        walker.withItems(delete.getWithItemsList(), scope);
        walker.fromItem(delete.getTable(), scope);
        if (delete.getUsingList() != null) {
            delete.getUsingList().forEach(using -> walker.fromItem(using, scope));
        }
        walker.joinSources(delete.getJoins(), scope);
        Set<QueryScope.BaseTable> targets = new LinkedHashSet<>();
        List<Table> named = delete.getTables() != null && !delete.getTables().isEmpty()
                ? delete.getTables()
                : List.of(delete.getTable());
        for (Table table : named) {
            QueryScope.BaseTable target = scope.resolveQualifier(schemaOf(table), Names.unquote(table.getName()));
            targets.add(
                    target == QueryScope.UNKNOWN
                            ? scope.resolveTable(schemaOf(table), Names.unquote(table.getName()))
                            : target);
        }
        filterAndOrder(scope, null, delete.getJoins(), delete.getWhere(), delete.getOrderByElements());
        targets.forEach(table -> facts.table(table.schema(), table.name(), TableAccess.WRITE));
        walker.readAll(scope, targets);
        facts.whereClause(delete.getWhere() != null).limitClause(delete.getLimit() != null);
    }

    private void filterAndOrder(
            QueryScope scope,
            List<net.sf.jsqlparser.statement.select.Join> startJoins,
            List<net.sf.jsqlparser.statement.select.Join> joins,
            Expression where,
            List<net.sf.jsqlparser.statement.select.OrderByElement> orderBy) {
        walker.joinConditions(startJoins, scope);
        walker.joinConditions(joins, scope);
        walker.columns(scope).collect(where, ColumnUse.FILTER);
        walker.orderBy(orderBy, scope);
    }

    /** SET col = expr lists: columns written, expressions read; returns the tables whose columns are written. */
    private Set<QueryScope.BaseTable> assignments(List<UpdateSet> sets, QueryScope scope) {
        Set<QueryScope.BaseTable> written = new LinkedHashSet<>();
        if (sets == null) {
            return written;
        }
        ColumnCollector reads = walker.columns(scope);
        for (UpdateSet set : sets) {
            for (Column column : set.getColumns()) {
                Table qualifier = column.getTable();
                QueryScope.BaseTable table = qualifier == null || qualifier.getName() == null
                        ? scope.resolveUnqualified()
                        : scope.resolveQualifier(schemaOf(qualifier), Names.unquote(qualifier.getName()));
                written.add(table);
                facts.column(table.schema(), table.name(), Names.unquote(column.getColumnName()), ColumnUse.WRITE);
            }
            reads.collect(set.getValues(), ColumnUse.SELECT);
        }
        return written;
    }

    private QueryScope root() {
        return QueryScope.root(currentDatabase);
    }

    private static String schemaOf(Table table) {
        return Names.unquote(table.getSchemaName());
    }
}
