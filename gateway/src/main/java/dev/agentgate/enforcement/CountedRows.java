package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.TableAccess;
import dev.agentgate.analysis.TableRef;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.enforcement.catalog.JdbcSqlExecutor;
import dev.agentgate.session.SessionFacts;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.update.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the rows an UPDATE or DELETE of one table would change, by {@code SELECT COUNT(*) FROM <the same table>
 * WHERE <the same condition>} over the gateway's own connection to the target (its service account). Only plain
 * statements are counted: no joins, no ORDER BY or LIMIT, no RETURNING, no variables; anything else, and any failure,
 * gives no estimate, which approvers are told.
 */
final class CountedRows implements RowEstimates {

    private static final Logger log = LoggerFactory.getLogger(CountedRows.class);

    private final Map<String, JdbcSqlExecutor> executors = new ConcurrentHashMap<>();
    private final Map<String, TargetConfig> targets = new ConcurrentHashMap<>();
    private final Executor blocking;

    /** @param blocking where the count runs (JDBC blocks) */
    CountedRows(Collection<TargetConfig> targets, Executor blocking) {
        targets.forEach(target -> this.targets.put(target.name(), target));
        this.blocking = blocking;
    }

    @Override
    public CompletableFuture<Long> estimate(SessionFacts session, StatementFacts statement) {
        String count = countQuery(statement);
        TargetConfig target = targets.get(session.target());
        if (count == null || target == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        List<List<String>> rows = executors
                                .computeIfAbsent(target.name(), name -> new JdbcSqlExecutor(target))
                                .query(count, List.of());
                        return Long.valueOf(rows.get(0).get(0));
                    } catch (Exception e) {
                        log.info("could not count the rows of an approval request ({}): {}", count, e.toString());
                        return null;
                    }
                },
                blocking);
    }

    /** The counting query for {@code statement}, or null when it is not one that can be counted. */
    static String countQuery(StatementFacts statement) {
        if (statement.type() != StatementType.UPDATE && statement.type() != StatementType.DELETE) {
            return null;
        }
        List<TableRef> written = statement.tables().stream()
                .filter(t -> t.access() == TableAccess.WRITE)
                .toList();
        if (statement.tables().size() != 1
                || written.size() != 1
                || written.get(0).schema() == null) {
            return null;
        }
        if (statement.sql().contains("@")) {
            return null; // variables of the client's session are not set on the gateway's connection
        }
        Statement parsed;
        try {
            parsed = CCJSqlParserUtil.parse(statement.sql());
        } catch (JSQLParserException e) {
            return null;
        }
        Table table;
        Object where;
        if (parsed instanceof Update update
                && update.getJoins() == null
                && update.getStartJoins() == null
                && update.getOrderByElements() == null
                && update.getLimit() == null
                && update.getReturningClause() == null
                && update.getFromItem() == null) {
            table = update.getTable();
            where = update.getWhere();
        } else if (parsed instanceof Delete delete
                && delete.getJoins() == null
                && (delete.getTables() == null || delete.getTables().isEmpty())
                && delete.getOrderByElements() == null
                && delete.getLimit() == null
                && delete.getReturningClause() == null
                && (delete.getUsingList() == null || delete.getUsingList().isEmpty())) {
            table = delete.getTable();
            where = delete.getWhere();
        } else {
            return null;
        }
        Table qualified = new Table(written.get(0).schema(), table.getName());
        if (table.getAlias() != null) {
            qualified.setAlias(table.getAlias());
        }
        return "SELECT COUNT(*) FROM " + qualified + (where == null ? "" : " WHERE " + where);
    }
}
