package dev.agentgate.analysis.lineage;

import java.util.Optional;

/**
 * The tables, their columns and the view definitions the lineage resolves names against. Implementations
 * must be thread-safe; lookups are made while a statement is being decided, so they should be cheap
 * (cached). A lookup that fails must answer empty: the lineage then reports the columns as unknown.
 */
public interface Catalog {

    /**
     * The table or view {@code schema.name}. Names are matched as the server would (exact first, then ignoring
     * case when exactly one object matches, which errs on the side of finding masked tables).
     */
    Optional<CatalogTable> table(String schema, String name);
}
