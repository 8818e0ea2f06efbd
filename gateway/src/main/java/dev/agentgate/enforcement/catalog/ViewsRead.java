package dev.agentgate.enforcement.catalog;

import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A catalog that remembers the views the lineage resolved through it, with the definitions it resolved them by:
 * what a masking decision rests on, to be checked against the server before the decision is trusted (views are
 * redefined by other clients without the gateway seeing it). Base tables need no such check: the server names
 * their columns in every result set's column definitions, and masking matches those too.
 */
public final class ViewsRead implements Catalog {

    private final Catalog catalog;
    private final Set<CatalogTable> views = ConcurrentHashMap.newKeySet();

    public ViewsRead(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<CatalogTable> table(String schema, String name) {
        Optional<CatalogTable> found = catalog.table(schema, name);
        found.filter(CatalogTable::isView).ifPresent(views::add);
        return found;
    }

    /** The views read so far, each as the catalog held it. */
    public Set<CatalogTable> views() {
        return Set.copyOf(views);
    }
}
