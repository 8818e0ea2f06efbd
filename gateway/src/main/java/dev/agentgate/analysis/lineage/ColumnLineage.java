package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import dev.agentgate.analysis.ParsedStatement;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.sf.jsqlparser.statement.UseStatement;

/**
 * Column lineage ("provenance") of SQL: for each output column of a statement, the source columns
 * (schema.table.column) it is derived from, or unknown; and the uses of masked columns that leak without
 * being output. Thread-safe and meant to be shared: it holds only the analyzer, whose
 * bounded parser it uses. Never throws for bad SQL: what cannot be traced comes out unknown / incomplete.
 */
public final class ColumnLineage {

    private final StatementAnalyzer parser;
    private final ViewDefinitions viewDefinitions;

    public ColumnLineage(StatementAnalyzer parser) {
        this.parser = Objects.requireNonNull(parser, "statement analyzer must not be null");
        this.viewDefinitions = new ViewDefinitions(parser);
    }

    /**
     * @param sql             the text of a COM_QUERY (one lineage per statement, in order) or COM_STMT_PREPARE
     * @param currentDatabase the session's current database, or null when none is selected
     * @param catalog         tables, columns and view definitions to resolve names against
     * @param masked          the masked source columns whose non-output uses are reported (NONE: none reported)
     */
    public List<StatementLineage> analyze(String sql, String currentDatabase, Catalog catalog, MaskedColumns masked) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(catalog, "catalog must not be null");
        Objects.requireNonNull(masked, "masked columns must not be null");
        List<StatementLineage> statements = new ArrayList<>();
        LineageContext context = new LineageContext(catalog, viewDefinitions);
        String database = currentDatabase;
        for (ParsedStatement statement : parser.parse(sql)) {
            statements.add(new StatementLineageWalker(this, statement, database, context, new MaskedColumnUses(masked))
                    .walk());
            if (statement.type() == StatementType.USE) {
                // a USE in a batch changes what the following statements' unqualified names mean; unparsed: unknown
                database = statement.statement() instanceof UseStatement use ? Names.unquote(use.getName()) : null;
            }
        }
        return statements;
    }

    /** Lineage of the output columns only. */
    public List<StatementLineage> analyze(String sql, String currentDatabase, Catalog catalog) {
        return analyze(sql, currentDatabase, catalog, MaskedColumns.NONE);
    }

    /** Dynamic SQL inside a statement: analysed like a statement, its uses recorded in the outer collector. */
    List<StatementLineage> analyze(String sql, String currentDatabase, LineageContext context, MaskedColumnUses uses) {
        List<StatementLineage> statements = new ArrayList<>();
        for (ParsedStatement statement : parser.parse(sql)) {
            statements.add(new StatementLineageWalker(this, statement, currentDatabase, context, uses).walk());
        }
        return statements;
    }
}
