package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.ParsedStatement;
import dev.agentgate.analysis.StatementType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * The lineage of one statement: output columns of queries, and the masked-column uses of every kind of
 * statement (copies by INSERT/REPLACE/UPDATE/CREATE TABLE/SET/SELECT INTO, new views, stored programs, dynamic
 * SQL). Text run by PREPARE / EXECUTE IMMEDIATE from a string literal is analysed as the statement it is.
 */
final class StatementLineageWalker {

    /** Statements that answer with result sets this walker does not trace. */
    private static final Set<StatementType> UNTRACED_RESULTS = EnumSet.of(
            StatementType.SHOW,
            StatementType.DESCRIBE,
            StatementType.EXPLAIN,
            StatementType.CALL,
            StatementType.EXECUTE,
            StatementType.HANDLER,
            StatementType.ANALYZE_TABLE,
            StatementType.OPTIMIZE_TABLE,
            StatementType.CHECK_TABLE,
            StatementType.REPAIR_TABLE,
            StatementType.CHECKSUM_TABLE,
            StatementType.OTHER);
    /** Stored programs: their bodies are not parsed, masked columns are found by name. */
    private static final Set<StatementType> STORED_PROGRAMS = EnumSet.of(
            StatementType.CREATE_TRIGGER,
            StatementType.CREATE_EVENT,
            StatementType.ALTER_EVENT,
            StatementType.CREATE_PROCEDURE,
            StatementType.CREATE_FUNCTION);
    /** Statements whose masked uses can only be known from a parse. */
    private static final Set<StatementType> NEED_PARSE = EnumSet.of(
            StatementType.SELECT,
            StatementType.VALUES,
            StatementType.TABLE,
            StatementType.INSERT,
            StatementType.REPLACE,
            StatementType.UPDATE,
            StatementType.DELETE,
            StatementType.CREATE_TABLE,
            StatementType.CREATE_VIEW,
            StatementType.ALTER_VIEW,
            StatementType.SET,
            StatementType.DO);

    private final ColumnLineage lineage;
    private final ParsedStatement parsed;
    private final String currentDatabase;
    private final LineageContext context;
    private final MaskedColumnUses uses;
    private final QueryLineage walker;
    private List<OutputColumn> outputs = List.of();

    StatementLineageWalker(
            ColumnLineage lineage,
            ParsedStatement parsed,
            String currentDatabase,
            LineageContext context,
            MaskedColumnUses uses) {
        this.lineage = lineage;
        this.parsed = parsed;
        this.currentDatabase = currentDatabase;
        this.context = context;
        this.uses = uses;
        this.walker = new QueryLineage(context, currentDatabase, uses);
    }

    StatementLineage walk() {
        try {
            dispatch();
        } catch (RuntimeException | StackOverflowError failed) {
            walker.unanalysed("lineage analysis failed: " + failed.getClass().getSimpleName());
            outputs = List.of();
        }
        boolean walked =
                parsed.parsed() && !STORED_PROGRAMS.contains(parsed.type()) && parsed.type() != StatementType.PREPARE;
        if (walked && walker.walkedSelectBlocks() < parsed.selectKeywords()) {
            walker.unanalysed("a subquery was not analysed");
        }
        if (walked) {
            // JSqlParser reads `BINARY ssn` as a column BINARY aliased ssn and CONVERT(ssn, CHAR) as a conversion of
            // CHAR to a type ssn: a masked name that occurs but was never resolved as a column was misread
            parsed.identifiers().stream()
                    .filter(uses.masked()::isLiteralColumnName)
                    .filter(name -> !walker.resolvedColumnNamed(name))
                    .map(name -> name.toLowerCase(java.util.Locale.ROOT))
                    .distinct()
                    .forEach(name -> walker.unanalysed("masked column name '" + name + "' not analysed as a column"));
        }
        List<String> gaps = walker.gaps();
        String reason = gaps.isEmpty() ? null : String.join("; ", gaps);
        return new StatementLineage(parsed.sql(), outputs, reason == null, reason, uses.uses());
    }

    private void dispatch() {
        StatementType type = parsed.type();
        if (type == StatementType.PREPARE) {
            dynamicSql().prepare(parsed.preparedText()); // PREPARE answers OK; the rows come with EXECUTE
        } else if (STORED_PROGRAMS.contains(type)) {
            storedProgram();
        } else if (!parsed.parsed()) {
            if (NEED_PARSE.contains(type) || parsed.selectKeywords() > 0) {
                walker.unanalysed("statement not parsed: " + parsed.parseError());
            } else if (UNTRACED_RESULTS.contains(type)) {
                walker.gap("statement not parsed: " + parsed.parseError()); // SHOW, HANDLER: results masked whole
            }
        } else {
            statement(parsed.statement());
        }
    }

    private void statement(Statement statement) {
        if (statement instanceof Select select) {
            select(select);
        } else if (statement instanceof Insert insert) {
            LineageScope scope = scopeWithCtes(insert.getWithItemsList());
            String detail = "INSERT INTO " + insert.getTable();
            LineageScope target = copied(
                    insert.getTable(),
                    insert.getSelect(),
                    scope,
                    detail,
                    insert.getSetUpdateSets(),
                    insert.getDuplicateUpdateSets());
            written(insert.getColumns(), insert.getSetUpdateSets(), target, detail);
            returning(insert.getReturningClause(), target);
        } else if (statement instanceof Upsert upsert) {
            String detail = "REPLACE INTO " + upsert.getTable();
            LineageScope target = copied(
                    upsert.getTable(),
                    upsert.getSelect(),
                    LineageScope.root(),
                    detail,
                    upsert.getUpdateSets(),
                    upsert.getDuplicateUpdateSets());
            written(upsert.getColumns(), upsert.getUpdateSets(), target, detail);
        } else if (statement instanceof Update update) {
            update(update);
        } else if (statement instanceof Delete delete) {
            delete(delete);
        } else if (statement instanceof CreateTable create && create.getSelect() != null) {
            uses.report(
                    walker.query(create.getSelect(), LineageScope.root()).allSources(),
                    MaskedUse.COPY,
                    "CREATE TABLE " + create.getTable() + " AS SELECT");
        } else if (statement instanceof CreateView view) {
            definition(view.getSelect(), "CREATE VIEW " + view.getView());
        } else if (statement instanceof AlterView view) {
            definition(view.getSelect(), "ALTER VIEW " + view.getView());
        } else if (statement instanceof SetStatement set) {
            for (int i = 0; i < set.getCount(); i++) {
                for (Expression value : set.getExpressions(i)) {
                    uses.report(
                            ExpressionLineage.of(value, LineageScope.root(), walker),
                            MaskedUse.COPY,
                            "SET " + set.getName(i));
                }
            }
        } else if (statement instanceof Execute execute) {
            outputs = dynamicSql().execute(execute);
        } else if (UNTRACED_RESULTS.contains(parsed.type())) {
            walker.gap(parsed.type().jsonName() + " returns results whose lineage is not traced");
        }
    }

    private DynamicSqlLineage dynamicSql() {
        return new DynamicSqlLineage(lineage, currentDatabase, context, uses, walker);
    }

    private void select(Select select) {
        Relation relation = walker.query(select, LineageScope.root());
        if (parsed.intoClause() != null) {
            uses.report(relation.allSources(), MaskedUse.COPY, "SELECT ... " + parsed.intoClause());
            return; // the rows go into variables or a file, the client gets no result set
        }
        if (!relation.complete()) {
            walker.gap("output columns not known");
        }
        outputs = relation.columns().stream()
                .map(column -> OutputColumn.of(column.name(), column.sources()))
                .toList();
    }

    /** The copies into {@code target}; returns a scope holding the target table (for its columns and RETURNING). */
    private LineageScope copied(
            Table target,
            Select source,
            LineageScope scope,
            String detail,
            List<UpdateSet> sets,
            List<UpdateSet> onDuplicate) {
        if (source != null) {
            uses.report(walker.query(source, scope).allSources(), MaskedUse.COPY, detail);
        }
        LineageScope targetScope = LineageScope.root();
        walker.from().source(target, targetScope);
        assignments(sets, targetScope, detail + " SET");
        assignments(onDuplicate, targetScope, detail + " ON DUPLICATE KEY UPDATE");
        if (onDuplicate != null && !onDuplicate.isEmpty()) {
            written(null, onDuplicate, targetScope, detail + " ON DUPLICATE KEY UPDATE");
        }
        return targetScope;
    }

    /**
     * The masked columns an INSERT/REPLACE writes: those listed (none listed: every column of the table), those of
     * its SET form. A write of a masked column compares the old value with the new (rows changed, duplicate key).
     */
    private void written(List<Column> columns, List<UpdateSet> sets, LineageScope target, String detail) {
        if ((columns == null || columns.isEmpty()) && (sets == null || sets.isEmpty())) {
            target.sources()
                    .forEach(source -> source.relation()
                            .columns()
                            .forEach(column ->
                                    uses.report(column.sources(), MaskedUse.WRITE, detail + " (all columns)")));
            return;
        }
        if (columns != null) {
            columns.forEach(column -> walker.report(column, target, MaskedUse.WRITE, detail, false));
        }
        if (sets != null) {
            sets.forEach(set -> set.getColumns()
                    .forEach(column -> walker.report(column, target, MaskedUse.WRITE, detail + " SET", false)));
        }
    }

    private void update(Update update) {
        LineageScope scope = scopeWithCtes(update.getWithItemsList());
        walker.from().fromClause(update.getTable(), update.getStartJoins(), scope);
        if (update.getFromItem() != null) {
            walker.from().fromClause(update.getFromItem(), update.getJoins(), scope);
        }
        assignments(update.getUpdateSets(), scope, "UPDATE " + update.getTable() + " SET");
        written(null, update.getUpdateSets(), scope, "UPDATE " + update.getTable());
        walker.report(update.getWhere(), scope, MaskedUse.FILTER, "UPDATE WHERE", false);
        orderBy(update.getOrderByElements(), scope, "UPDATE ORDER BY");
        returning(update.getReturningClause(), scope);
    }

    private void delete(Delete delete) {
        LineageScope scope = scopeWithCtes(delete.getWithItemsList());
        walker.from().fromClause(delete.getTable(), delete.getJoins(), scope);
        if (delete.getUsingList() != null) {
            delete.getUsingList().forEach(using -> walker.from().fromClause(using, null, scope));
        }
        walker.report(delete.getWhere(), scope, MaskedUse.FILTER, "DELETE WHERE", false);
        orderBy(delete.getOrderByElements(), scope, "DELETE ORDER BY");
        returning(delete.getReturningClause(), scope);
    }

    /** A statement-level scope holding the statement's CTEs (WITH ... INSERT / UPDATE / DELETE). */
    private LineageScope scopeWithCtes(List<net.sf.jsqlparser.statement.select.WithItem<?>> withItems) {
        LineageScope scope = LineageScope.root();
        if (withItems != null) {
            withItems.forEach(item -> new CteLineage(walker).define(item, scope));
        }
        return scope;
    }

    private void orderBy(
            List<net.sf.jsqlparser.statement.select.OrderByElement> order, LineageScope scope, String clause) {
        if (order != null) {
            order.forEach(element -> walker.report(element.getExpression(), scope, MaskedUse.ORDER, clause, false));
        }
    }

    private void assignments(List<UpdateSet> sets, LineageScope scope, String detail) {
        if (sets != null) {
            for (UpdateSet set : sets) {
                set.getValues()
                        .forEach(value -> uses.report(
                                ExpressionLineage.of((Expression) value, scope, walker),
                                MaskedUse.COPY,
                                detail + " " + set.getColumns()));
            }
        }
    }

    /**
     * MariaDB's INSERT/REPLACE/DELETE ... RETURNING answers with rows: each masked column they carry is reported as
     * {@code returning} (and the rows are masked whole: their columns are not traced as outputs).
     */
    private void returning(ReturningClause returningClause, LineageScope scope) {
        if (returningClause == null) {
            return;
        }
        for (SelectItem<?> item : returningClause) {
            Expression expression = item.getExpression();
            ColumnSources returned = expression instanceof AllColumns || expression instanceof AllTableColumns
                    ? scope.sources().stream()
                            .map(source -> source.relation().allSources())
                            .reduce(ColumnSources.NONE, ColumnSources::union)
                    : ExpressionLineage.of(expression, scope, walker);
            uses.report(returned, MaskedUse.RETURNING, "RETURNING");
        }
        walker.gap("RETURNING columns not traced");
    }

    /** A new view: whatever masked column it outputs or uses is a definition over a masked table. */
    private void definition(Select select, String detail) {
        MaskedColumnUses definitionUses = uses.as(MaskedUse.DEFINITION, detail);
        QueryLineage body = new QueryLineage(context, currentDatabase, definitionUses);
        definitionUses.report(body.query(select, LineageScope.root()).allSources(), MaskedUse.DEFINITION, "output");
        walker.include(body);
    }

    /** CREATE TRIGGER / EVENT / PROCEDURE / FUNCTION: masked patterns whose table and column the body names. */
    private void storedProgram() {
        for (String pattern : uses.masked().patternsNamedBy(parsed.identifiers())) {
            uses.reportPattern(pattern, MaskedUse.DEFINITION, parsed.type().jsonName() + " body names a masked column");
        }
    }
}
