package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import java.util.List;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Defines a CTE in a scope with the lineage of its columns. A recursive CTE is computed to a fixpoint: first
 * its anchor (the first branch), then the whole query again with the CTE bound to what is known so far, until
 * the lineage stops growing (it only grows, and there are finitely many source columns).
 */
final class CteLineage {

    private static final int MAX_ROUNDS = 8;

    private final QueryLineage walker;

    CteLineage(QueryLineage walker) {
        this.walker = walker;
    }

    void define(WithItem<?> item, LineageScope scope) {
        String name = Names.unquote(item.getAliasName());
        ParenthesedSelect body = item.getSelect();
        if (body == null) {
            walker.unanalysed("CTE " + name + " is not a query");
            scope.defineCte(name, Relation.OPAQUE);
            return;
        }
        List<String> columns = columnNames(item.getWithItemList());
        if (!item.isRecursive()) {
            scope.defineCte(name, walker.query(body, scope).renamed(columns));
            return;
        }
        Select inner = body.getSelect();
        Select anchor =
                inner instanceof SetOperationList union ? union.getSelects().get(0) : inner;
        scope.defineCte(name, Relation.OPAQUE);
        Relation known = walker.query(anchor, scope).renamed(columns);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            scope.defineCte(name, known);
            Relation next = walker.query(body, scope).renamed(columns);
            if (next.equals(known)) {
                return;
            }
            known = next;
        }
        walker.gap("recursive CTE " + name + " did not converge");
        scope.defineCte(name, Relation.OPAQUE);
    }

    private static List<String> columnNames(List<SelectItem<?>> items) {
        if (items == null) {
            return List.of();
        }
        return items.stream()
                .map(item -> Names.unquote(item.getExpression().toString()))
                .toList();
    }
}
