package dev.agentgate.analysis;

import java.util.List;
import net.sf.jsqlparser.statement.Statement;

/**
 * One statement of a command as JSqlParser sees it, for analyses beyond {@link StatementFacts} (column lineage).
 * Added for the lineage package; the facts do not use it.
 *
 * @param sql            the statement as sent (trimmed, without the separating semicolon)
 * @param type           its type from the leading keywords
 * @param statement      the syntax tree, or null when the statement did not parse (see {@code parseError})
 * @param parseError     why there is no tree, else null
 * @param selectKeywords how many SELECT keywords the statement holds, to prove that a walk reached every query block
 * @param intoClause     the {@code INTO @var / OUTFILE / DUMPFILE} clause of a SELECT, cut out before parsing
 *                       (JSqlParser does not know it), or null
 * @param preparedText   the text of {@code PREPARE s FROM 'text'}, else null
 * @param identifiers    every identifier of the statement as MySQL executes it (versioned comments included,
 *                       backticks removed), for statements whose body is not parsed (stored programs)
 */
public record ParsedStatement(
        String sql,
        StatementType type,
        Statement statement,
        String parseError,
        int selectKeywords,
        String intoClause,
        String preparedText,
        List<String> identifiers) {

    public ParsedStatement {
        identifiers = List.copyOf(identifiers);
    }

    public boolean parsed() {
        return statement != null;
    }
}
