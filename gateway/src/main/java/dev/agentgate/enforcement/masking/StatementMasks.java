package dev.agentgate.enforcement.masking;

import dev.agentgate.analysis.lineage.StatementLineage;
import java.util.List;

/**
 * What masking knows of one statement of a command: the rules its decision masks with (empty: the statement was
 * allowed without masks), its column lineage (null when none could be had), and whether it answers with exactly
 * one result, so that the results after it can still be attributed to the statements that follow.
 *
 * @param singleResult false for a CALL, an EXECUTE of a prepared statement, a statement that was not parsed or
 *     whose lineage is incomplete: such a statement may answer with several results
 */
public record StatementMasks(List<MaskingRule> rules, StatementLineage lineage, boolean singleResult) {

    public StatementMasks {
        rules = List.copyOf(rules);
    }

    /** A statement allowed without masks that answers with one result. */
    public static StatementMasks unmasked(boolean singleResult) {
        return new StatementMasks(List.of(), null, singleResult);
    }
}
