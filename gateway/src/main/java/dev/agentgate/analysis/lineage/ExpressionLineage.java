package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.VariableAssignment;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The lineage of an expression: the union of the sources of every column it references, through functions,
 * operators, CASE, CAST, JSON functions, aggregates, window functions and subqueries (whose output columns
 * count). A user variable or LOAD_FILE() is of unknown origin. Window PARTITION BY / ORDER BY columns are part
 * of the value (ROW_NUMBER() OVER (ORDER BY ssn) reveals ssn's order) and are also reported as uses.
 */
final class ExpressionLineage extends ExpressionVisitorAdapter<Void> {

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
            "UNKNOWN",
            "CURRENT_ROLE");
    /** Functions whose value comes from outside the statement's tables. */
    private static final Set<String> UNKNOWN_ORIGIN = Set.of("LOAD_FILE", "VALUES", "VALUE", "NAME_CONST");

    private final QueryLineage walker;
    private final LineageScope scope;
    private final boolean selectAliasesVisible;
    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private ColumnSources sources = ColumnSources.NONE;

    private ExpressionLineage(QueryLineage walker, LineageScope scope, boolean selectAliasesVisible) {
        this.walker = walker;
        this.scope = scope;
        this.selectAliasesVisible = selectAliasesVisible;
    }

    /**
     * The lineage of a value (select list, SET value, VALUES row, ...). The masked columns that conditions
     * inside it test are reported as {@code filter}: the value reveals how they compare; a masked value that
     * meets anything but a total function on its way into the value is a {@code computation} ({@link ValueFlow}).
     */
    static ColumnSources of(Expression expression, LineageScope scope, QueryLineage walker) {
        ColumnSources lineage = of(expression, scope, walker, false);
        if (expression != null) {
            new ExpressionLineage(walker, scope, false).reportConditions(expression);
            new ValueFlow(walker.uses(), part -> of(part, scope, walker, false)).check(expression, lineage);
        }
        return lineage;
    }

    /**
     * The lineage of a clause's expression (WHERE, ON, GROUP BY, HAVING, ORDER BY) that the caller reports as a
     * whole. With {@code selectAliasesVisible} (GROUP BY / HAVING / ORDER BY) select-list aliases and positions
     * ({@code ORDER BY 2}) are visible too; a name that is both an alias and a column counts as both.
     */
    static ColumnSources ofClause(
            Expression expression, LineageScope scope, QueryLineage walker, boolean selectAliasesVisible) {
        if (selectAliasesVisible && position(expression) instanceof LongValue position) {
            return scope.output((int) position.getValue()).orElse(ColumnSources.NONE);
        }
        return of(expression, scope, walker, selectAliasesVisible);
    }

    /**
     * The expression a server reads a column position from: MariaDB drops a unary plus and parentheses around an
     * integer, so {@code ORDER BY +2}, {@code (2)} and {@code +(2)} all name the second column.
     */
    private static Expression position(Expression expression) {
        Expression inner = expression;
        while (true) {
            if (inner instanceof SignedExpression signed && signed.getSign() == '+') {
                inner = signed.getExpression();
            } else if (inner instanceof Parenthesis parenthesis) {
                inner = parenthesis.getExpression();
            } else if (inner instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                inner = list.get(0);
            } else {
                return inner;
            }
        }
    }

    private static ColumnSources of(Expression expression, LineageScope scope, QueryLineage walker, boolean aliases) {
        if (expression == null) {
            return ColumnSources.NONE;
        }
        ExpressionLineage lineage = new ExpressionLineage(walker, scope, aliases);
        expression.accept(lineage, null);
        lineage.visitMissed(expression);
        lineage.reportErrorChannels(expression);
        return lineage.sources;
    }

    /** Reports the operands of every condition in {@code node} (itself included), nested ones too; not inside subqueries (walked on their own). */
    private void reportConditions(Object node) {
        if (Conditions.isCondition(node)) {
            for (Expression operand : Conditions.testedOperands(node)) {
                walker.uses()
                        .report(
                                of(operand, scope, walker, selectAliasesVisible),
                                MaskedUse.FILTER,
                                "condition (" + Conditions.describe(node) + ")");
            }
        }
        for (Object nested : AstNodes.find(node, found -> Conditions.isCondition(found) || found instanceof Select)) {
            if (!(nested instanceof Select)) {
                reportConditions(nested);
            }
        }
    }

    /** Visits what the visitor adapter passed over (see {@link AstNodes}): every value source must be counted. */
    private void visitMissed(Expression expression) {
        if (isValueSource(expression)) {
            return; // visited as a whole
        }
        for (Object node : AstNodes.find(expression, ExpressionLineage::isValueSource)) {
            if (!visited.contains(node)) {
                ((Expression) node).accept(this, null);
            }
        }
    }

    /** Masked values inside conversions whose errors and warnings quote the value (see {@link MaskedUse#ERROR_CHANNEL}). */
    private void reportErrorChannels(Expression expression) {
        // not inside subqueries: they are walked on their own, in their own scope
        List<Object> channels = new ArrayList<>(
                AstNodes.find(expression, node -> ErrorChannels.isChannel(node) || node instanceof Select));
        channels.removeIf(Select.class::isInstance);
        if (ErrorChannels.isChannel(expression)) {
            channels.add(expression);
        }
        for (Object channel : channels) {
            Expression leaking = (Expression) channel;
            ColumnSources leaked = leaking == expression ? sources : of(leaking, scope, walker, selectAliasesVisible);
            if (ErrorChannels.isTiming(leaking)) {
                walker.uses().report(leaked, MaskedUse.FILTER, "timing of " + ErrorChannels.describe(leaking));
            } else {
                walker.uses()
                        .report(
                                leaked,
                                MaskedUse.ERROR_CHANNEL,
                                "value may be echoed by an error or warning of " + ErrorChannels.describe(leaking));
            }
        }
    }

    static boolean isValueSource(Object node) {
        return node instanceof Column
                || node instanceof Select
                || node instanceof UserVariable
                || node instanceof VariableAssignment
                || (node instanceof Function function
                        && (isUnknownOrigin(function) || !BuiltinFunctions.isBuiltin(function)));
    }

    private static boolean isUnknownOrigin(Function function) {
        return function.getName() != null
                && UNKNOWN_ORIGIN.contains(function.getName().toUpperCase(Locale.ROOT));
    }

    private void add(ColumnSources more) {
        sources = sources.union(more);
    }

    @Override
    public <S> Void visit(Column column, S context) {
        visited.add(column);
        String name = Names.unquote(column.getColumnName());
        walker.sawColumn(name);
        Table qualifier = column.getTable();
        if (qualifier != null && qualifier.getName() != null) {
            add(scope.resolve(Names.unquote(qualifier.getSchemaName()), Names.unquote(qualifier.getName()), name)
                    .orElse(ColumnSources.UNKNOWN));
            return null;
        }
        Optional<ColumnSources> alias = selectAliasesVisible ? scope.selectAlias(name) : Optional.empty();
        Optional<ColumnSources> resolved = scope.resolve(name);
        alias.ifPresent(this::add);
        resolved.ifPresent(this::add);
        if (alias.isEmpty() && resolved.isEmpty() && !isValueWord(column)) {
            add(ColumnSources.UNKNOWN); // the server would refuse an unknown column; not knowing, assume the worst
        }
        return null;
    }

    /** TRUE, CURRENT_DATE, and "text" (a string in MySQL's default sql_mode) when no column of that name exists. */
    private static boolean isValueWord(Column column) {
        String written = column.getColumnName();
        return written.startsWith("\"") || NOT_COLUMNS.contains(written.toUpperCase(Locale.ROOT));
    }

    @Override
    public <S> Void visit(UserVariable variable, S context) {
        visited.add(variable);
        add(
                variable.isDoubleAdd()
                        ? ColumnSources.NONE
                        : ColumnSources.USER_VARIABLE); // @@system variables hold no row data
        return null;
    }

    /** {@code @v := expr}: the value flows out, and into a variable the masking does not follow. */
    @Override
    public <S> Void visit(VariableAssignment assignment, S context) {
        visited.add(assignment);
        ColumnSources value = of(assignment.getExpression(), scope, walker, selectAliasesVisible);
        walker.uses().report(value, MaskedUse.COPY, "assigned to " + assignment.getVariable());
        add(value);
        return null;
    }

    @Override
    public <S> Void visit(Function function, S context) {
        visited.add(function);
        if (isUnknownOrigin(function)) {
            add(ColumnSources.UNKNOWN);
        } else if (!BuiltinFunctions.isBuiltin(function)) {
            storedFunction(function.getName());
        }
        super.visit(function, context);
        if (function.getOrderByElements() != null) {
            function.getOrderByElements()
                    .forEach(element -> element.getExpression().accept(this, context));
        }
        if (function.isDistinct()) {
            reportDistinct(function.getParameters(), function.getName());
        }
        return null;
    }

    @Override
    public <S> Void visit(MySQLGroupConcat groupConcat, S context) {
        super.visit(groupConcat, context);
        if (groupConcat.isDistinct()) {
            reportDistinct(groupConcat.getExpressionList(), "GROUP_CONCAT");
        }
        return null;
    }

    /** A stored function may read any table ({@code SELECT ssn_fn(1)}): its value may be any masked one. */
    private void storedFunction(String name) {
        add(ColumnSources.UNKNOWN);
        walker.uses().reportUnseen(MaskedUse.DYNAMIC_SQL, "stored function " + name);
    }

    /** COUNT(DISTINCT x), GROUP_CONCAT(DISTINCT x): the number of distinct values reveals how they compare. */
    private void reportDistinct(Expression arguments, String function) {
        walker.uses()
                .report(of(arguments, scope, walker, selectAliasesVisible), MaskedUse.GROUP, "DISTINCT in " + function);
    }

    @Override
    public <S> Void visit(AnalyticExpression analytic, S context) {
        super.visit(analytic, context);
        if (!BuiltinFunctions.isBuiltin(analytic.getName())) {
            storedFunction(analytic.getName()); // a loadable aggregate function used as a window function
        }
        if (analytic.isDistinct()) {
            reportDistinct(analytic.getExpression(), analytic.getName());
        }
        if (analytic.getPartitionExpressionList() != null) {
            for (Object partition : analytic.getPartitionExpressionList()) {
                ColumnSources grouped = of((Expression) partition, scope, walker, selectAliasesVisible);
                walker.uses().report(grouped, MaskedUse.GROUP, "window PARTITION BY");
                add(grouped);
            }
        }
        if (analytic.getOrderByElements() != null) {
            for (OrderByElement element : analytic.getOrderByElements()) {
                ColumnSources ordered = of(element.getExpression(), scope, walker, selectAliasesVisible);
                walker.uses().report(ordered, MaskedUse.ORDER, "window ORDER BY");
                add(ordered);
            }
        }
        return null;
    }

    /** COUNT(*) and the like read no column. */
    @Override
    public <S> Void visit(AllColumns allColumns, S context) {
        return null;
    }

    @Override
    public <S> Void visit(AllTableColumns allTableColumns, S context) {
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        visited.add(select);
        add(walker.query(select, scope).allSources());
        return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
        visited.add(select);
        add(walker.query(select, scope).allSources());
        return null;
    }
}
