package dev.agentgate.analysis.lineage;

import java.util.List;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.statement.execute.Execute;

/**
 * SQL run from text: PREPARE and EXECUTE IMMEDIATE of a string literal are analysed as the statement they
 * run (its uses land in the outer statement's uses, prefixed); text computed at run time (PREPARE FROM @v,
 * EXECUTE IMMEDIATE CONCAT(...)) and CALL are SQL out of sight: a {@code dynamic_sql} use, and incomplete.
 */
final class DynamicSqlLineage {

    private final ColumnLineage lineage;
    private final String currentDatabase;
    private final LineageContext context;
    private final MaskedColumnUses uses;
    private final QueryLineage walker;

    DynamicSqlLineage(
            ColumnLineage lineage,
            String currentDatabase,
            LineageContext context,
            MaskedColumnUses uses,
            QueryLineage walker) {
        this.lineage = lineage;
        this.currentDatabase = currentDatabase;
        this.context = context;
        this.uses = uses;
        this.walker = walker;
    }

    /** {@code PREPARE s FROM 'text'} ({@code preparedText} null when it comes from a variable). */
    void prepare(String preparedText) {
        if (preparedText == null) {
            uses.reportUnseen(MaskedUse.DYNAMIC_SQL, "PREPARE from a variable: the text is not known");
            walker.gap("prepared text not known");
            return;
        }
        analyze(preparedText, uses.prefixed("PREPARE"));
    }

    /** EXECUTE IMMEDIATE / EXECUTE / CALL; returns the output columns when they are known. */
    List<OutputColumn> execute(Execute execute) {
        boolean immediate = "IMMEDIATE".equalsIgnoreCase(execute.getName());
        List<?> arguments = execute.getExprList();
        if (immediate && arguments != null && arguments.size() == 1 && arguments.get(0) instanceof StringValue text) {
            return analyze(text.getValue(), uses.prefixed("EXECUTE IMMEDIATE"));
        }
        if (immediate) {
            uses.reportUnseen(MaskedUse.DYNAMIC_SQL, "EXECUTE IMMEDIATE of a computed text");
            walker.gap("executed text not known");
        } else if (execute.getExecType() == Execute.ExecType.CALL) {
            uses.reportUnseen(
                    MaskedUse.DYNAMIC_SQL, "CALL " + execute.getName() + ": the procedure body is not analysed");
            walker.gap("CALL returns results whose lineage is not traced");
        } else {
            walker.gap("EXECUTE of a prepared statement: trace the prepared text instead");
        }
        return List.of();
    }

    /** Analyses the text with the same catalog; its uses land in {@code into}; returns its outputs. */
    private List<OutputColumn> analyze(String text, MaskedColumnUses into) {
        List<StatementLineage> inner = lineage.analyze(text, currentDatabase, context, into);
        if (inner.size() != 1) {
            walker.gap("dynamic SQL must be one statement");
            return List.of();
        }
        if (!inner.get(0).complete()) {
            walker.gap("dynamic SQL: " + inner.get(0).incompleteReason());
        }
        return inner.get(0).columns();
    }
}
