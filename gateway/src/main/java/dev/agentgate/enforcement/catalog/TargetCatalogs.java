package dev.agentgate.enforcement.catalog;

import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import java.util.Optional;
import java.util.Set;

/** The catalog of each target, and forgetting what is cached of it after DDL. Thread-safe. */
public interface TargetCatalogs {

    /** Knows no table: every column comes out unknown, so under masking everything is masked. */
    TargetCatalogs NONE = fixed((schema, name) -> Optional.empty());

    /** The catalog of {@code target}; for a target it does not know, one that finds no table. */
    Catalog of(String target);

    /**
     * Forgets what is cached of {@code schemas} of {@code target} (every schema when the set is empty), because a
     * statement changes or may have changed them.
     */
    void invalidate(String target, Set<String> schemas);

    /**
     * The views among {@code views} whose definition on the server is no longer the one given (changed, dropped, or
     * not readable now); empty when all still hold. Forgets what is cached of the schemas of those it returns, so
     * the next lookup reads them anew. Blocking: call it from analysis threads only.
     */
    Set<CatalogTable> changedViews(String target, Set<CatalogTable> views);

    /**
     * A number that changes whenever something cached of {@code target} is forgotten (by {@link #invalidate} or a
     * changed view): what was traced against the catalog under one version may be reused while it holds.
     */
    default long version(String target) {
        return 0;
    }

    /** The same catalog for every target, never invalidated (tests, fixed schemas). */
    static TargetCatalogs fixed(Catalog catalog) {
        return new TargetCatalogs() {
            @Override
            public Catalog of(String target) {
                return catalog;
            }

            @Override
            public void invalidate(String target, Set<String> schemas) {}

            @Override
            public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
                return Set.of();
            }
        };
    }
}
