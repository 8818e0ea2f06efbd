package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Registers the sources of a FROM clause in a block's scope (base tables and views through the catalog,
 * CTEs, derived tables, nested joins) and computes what {@code SELECT *} yields over them: the sources'
 * columns in order, with the columns of NATURAL / USING joins coalesced first, as MySQL does.
 */
final class FromClauseLineage {

    private final QueryLineage walker;

    FromClauseLineage(QueryLineage walker) {
        this.walker = walker;
    }

    /** Registers {@code first} and the joined items; returns the columns of {@code *}. Reports join conditions. */
    Relation fromClause(FromItem first, List<Join> joins, LineageScope scope) {
        if (first == null) {
            return new Relation(List.of(), true); // SELECT without FROM
        }
        Relation star = fromItem(first, scope);
        if (joins == null) {
            return star;
        }
        for (Join join : joins) {
            Relation right = fromItem(join.getRightItem(), scope);
            List<Column> using = join.getUsingColumns();
            if (join.isNatural() || (using != null && !using.isEmpty())) {
                star = coalesced(star, right, join, using);
            } else {
                star = concatenated(star, right);
            }
        }
        for (Join join : joins) {
            if (join.getOnExpressions() != null) {
                join.getOnExpressions().forEach(on -> walker.report(on, scope, MaskedUse.JOIN, "JOIN ON", false));
            }
            if (join.getUsingColumns() != null) {
                join.getUsingColumns()
                        .forEach(column -> walker.report(column, scope, MaskedUse.JOIN, "JOIN USING", false));
            }
        }
        return star;
    }

    private Relation fromItem(FromItem item, LineageScope scope) {
        if (item instanceof Table table) {
            return source(table, scope);
        }
        if (item instanceof ParenthesedSelect derived) {
            Relation relation = walker.query(derived, scope).renamed(aliasColumns(derived.getAlias()));
            scope.addSource(new LineageScope.Source(aliasName(derived.getAlias()), null, null, relation));
            return relation;
        }
        if (item instanceof Values values) {
            Relation relation = walker.query(values, scope).renamed(aliasColumns(values.getAlias()));
            scope.addSource(new LineageScope.Source(aliasName(values.getAlias()), null, null, relation));
            return relation;
        }
        if (item instanceof ParenthesedFromItem nested && nested.getAlias() != null) {
            // (VALUES ...) AS v(a, b), (t1 JOIN t2) AS j: one source under the alias
            Relation relation = fromClause(nested.getFromItem(), nested.getJoins(), scope.child())
                    .renamed(aliasColumns(nested.getAlias()));
            scope.addSource(new LineageScope.Source(aliasName(nested.getAlias()), null, null, relation));
            return relation;
        }
        if (item instanceof ParenthesedFromItem nested) {
            return fromClause(nested.getFromItem(), nested.getJoins(), scope);
        }
        walker.unanalysed("FROM item not analysed: " + item.getClass().getSimpleName());
        scope.addSource(new LineageScope.Source(aliasName(item.getAlias()), null, null, Relation.OPAQUE));
        return Relation.OPAQUE;
    }

    /** A named table: a CTE in scope, else a view or base table of the catalog; registered in the scope. */
    Relation source(Table table, LineageScope scope) {
        String schema = Names.unquote(table.getSchemaName());
        String name = Names.unquote(table.getName());
        String alias = Optional.ofNullable(aliasName(table.getAlias())).orElse(name);
        Optional<Relation> cte = schema == null ? scope.cte(name) : Optional.empty();
        if (cte.isPresent()) {
            scope.addSource(new LineageScope.Source(alias, null, name, cte.get()));
            return cte.get();
        }
        String database = schema != null ? schema : walker.currentDatabase();
        Optional<CatalogTable> found =
                database == null ? Optional.empty() : walker.context().catalog().table(database, name);
        Relation relation;
        if (found.isEmpty()) {
            walker.gap("table " + (database == null ? "" : database + ".") + name + " not in the catalog");
            relation = Relation.OPAQUE;
        } else if (found.get().isView()) {
            LineageContext.ViewLineage view = walker.context().view(found.get());
            view.gaps().forEach(walker::gap);
            relation = view.relation();
        } else {
            relation = baseTable(found.get());
        }
        scope.addSource(new LineageScope.Source(
                alias,
                found.map(CatalogTable::schema).orElse(database),
                found.map(CatalogTable::name).orElse(name),
                relation));
        return relation;
    }

    private static Relation baseTable(CatalogTable table) {
        List<Relation.Column> columns = new ArrayList<>();
        for (String column : table.columns()) {
            columns.add(new Relation.Column(
                    column, ColumnSources.of(new SourceColumn(table.schema(), table.name(), column))));
        }
        return new Relation(columns, true);
    }

    private static Relation concatenated(Relation left, Relation right) {
        if (!left.complete()) {
            return left;
        }
        List<Relation.Column> columns = new ArrayList<>(left.columns());
        columns.addAll(right.columns());
        return new Relation(columns, right.complete());
    }

    /**
     * NATURAL / USING: the common columns once (lineage of both sides), then the rest of the left, then the
     * rest of the right. RIGHT joins order them differently; their {@code *} is left unknown.
     */
    private Relation coalesced(Relation left, Relation right, Join join, List<Column> using) {
        if (!left.complete() || !right.complete() || join.isRight()) {
            walker.gap("columns of * over a " + (join.isRight() ? "RIGHT " : "") + "NATURAL/USING join not known");
            if (join.isNatural() && (!left.complete() || !right.complete())) {
                // the join keys are whatever columns both sides have: a masked one may be among them
                walker.uses().reportUnseen(MaskedUse.JOIN, "NATURAL JOIN over columns that are not known");
            } else if (join.isNatural()) {
                naturalKeys(left, right);
            }
            return new Relation(List.of(), false);
        }
        Set<String> common = new LinkedHashSet<>();
        if (using != null && !using.isEmpty()) {
            using.forEach(
                    column -> common.add(Names.unquote(column.getColumnName()).toLowerCase(java.util.Locale.ROOT)));
        } else {
            left.columns().stream()
                    .map(Relation.Column::name)
                    .filter(name -> right.column(name).isPresent())
                    .forEach(name -> common.add(name.toLowerCase(java.util.Locale.ROOT)));
        }
        List<Relation.Column> columns = new ArrayList<>();
        if (join.isNatural()) {
            naturalKeys(left, right);
        }
        for (String name : common) {
            ColumnSources sources = left.column(name)
                    .orElse(ColumnSources.UNKNOWN)
                    .union(right.column(name).orElse(ColumnSources.UNKNOWN));
            String spelled = left.columns().stream()
                    .map(Relation.Column::name)
                    .filter(name::equalsIgnoreCase)
                    .findFirst()
                    .orElse(name);
            columns.add(new Relation.Column(spelled, sources));
        }
        addUncommon(columns, left, common);
        addUncommon(columns, right, common);
        return new Relation(columns, true);
    }

    /** NATURAL JOIN compares the columns both sides have (by name, as MariaDB does): each is a join key. */
    private void naturalKeys(Relation left, Relation right) {
        for (Relation.Column column : left.columns()) {
            right.column(column.name())
                    .ifPresent(other -> walker.uses()
                            .report(column.sources().union(other), MaskedUse.JOIN, "NATURAL JOIN on " + column.name()));
        }
    }

    private static void addUncommon(List<Relation.Column> columns, Relation relation, Set<String> common) {
        relation.columns().stream()
                .filter(column -> !common.contains(column.name().toLowerCase(java.util.Locale.ROOT)))
                .forEach(columns::add);
    }

    private static String aliasName(Alias alias) {
        return alias != null && alias.getName() != null ? Names.unquote(alias.getName()) : null;
    }

    private static List<String> aliasColumns(Alias alias) {
        if (alias == null || alias.getAliasColumns() == null) {
            return List.of();
        }
        return alias.getAliasColumns().stream()
                .map(column -> Names.unquote(column.name))
                .toList();
    }
}
