package dev.agentgate.enforcement.masking;

import dev.agentgate.analysis.lineage.CatalogTable;
import java.util.List;
import java.util.Set;

/**
 * What must be masked in the response to one client command (or in every response to one prepared
 * statement): the data path asks it for a {@link MaskPlan} per result set once that result set's column
 * definitions have arrived. No Netty here; the transport applies the plans. Implementations are immutable and
 * thread-safe.
 *
 * <p>Results are counted as the backend sends them: every result set and every OK/ERR of a statement
 * (MySQL's multi-results, SERVER_MORE_RESULTS_EXISTS) takes the next index, starting at 0 for each command.
 * A result the masking cannot attribute to a statement must be masked whole (fail safe), never passed on.
 */
public interface ResponseMasking {

    /**
     * The index to plan a result set for that no statement can be held to (an EXECUTE's result whose columns are
     * not the ones its PREPARE described): every implementation that masks anything masks each of its columns.
     */
    int UNATTRIBUTABLE = Integer.MAX_VALUE;

    /** Nothing of the response is masked: its packets pass through untouched. */
    ResponseMasking NONE = new ResponseMasking() {
        @Override
        public boolean masksAnything() {
            return false;
        }

        @Override
        public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
            return MaskPlan.none();
        }

        @Override
        public String toString() {
            return "ResponseMasking.NONE";
        }
    };

    /**
     * Whether any result of the response may be masked. When true, the data path also withholds what could echo
     * a masked value outside the rows: backend error messages, warning counts, and the next SHOW WARNINGS.
     */
    boolean masksAnything();

    /**
     * The plan for the result set at {@code resultIndex}, given its columns as the backend describes them.
     *
     * @param columns one origin per column, in result set order; its size is the backend's column count
     */
    MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns);

    /**
     * Whether the gateway's own lineage traces the column at {@code column} of the result at {@code resultIndex} to
     * the table column {@code origin} names. MariaDB may describe a column by a derived table's alias at PREPARE and
     * by its base table at EXECUTE; such a change is no other column when the lineage predicted the new origin.
     */
    default boolean tracesTo(int resultIndex, int column, ColumnOrigin origin) {
        return false;
    }

    /**
     * The views, with their definitions, the plans rest on: before this masking is used again for another run of
     * the same statement (an EXECUTE of a prepared statement), the server must still define them so.
     */
    default Set<CatalogTable> viewsRead() {
        return Set.of();
    }
}
