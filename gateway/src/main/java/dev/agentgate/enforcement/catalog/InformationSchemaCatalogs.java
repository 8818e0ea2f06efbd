package dev.agentgate.enforcement.catalog;

import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.InformationSchemaCatalog;
import dev.agentgate.config.TargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One {@link InformationSchemaCatalog} per configured target, each over its own {@link JdbcSqlExecutor}. A schema
 * is read on first use and kept for at most {@link #MAX_AGE}, because other clients change schemas without the
 * gateway seeing it; DDL that goes through the gateway invalidates it at once ({@link #invalidate}). A view a
 * masking decision rests on is checked against the server before the decision is used ({@link #changedViews}).
 */
public final class InformationSchemaCatalogs implements TargetCatalogs, AutoCloseable {

    public static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final Map<String, InformationSchemaCatalog> catalogs = new ConcurrentHashMap<>();
    private final List<JdbcSqlExecutor> executors = new ArrayList<>();
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();

    public InformationSchemaCatalogs(Collection<TargetConfig> targets) {
        for (TargetConfig target : targets) {
            JdbcSqlExecutor executor = new JdbcSqlExecutor(target);
            executors.add(executor);
            catalogs.put(target.name(), new InformationSchemaCatalog(executor, MAX_AGE));
        }
    }

    @Override
    public Catalog of(String target) {
        Catalog catalog = catalogs.get(target);
        return catalog == null ? TargetCatalogs.NONE.of(target) : catalog;
    }

    @Override
    public void invalidate(String target, Set<String> schemas) {
        InformationSchemaCatalog catalog = catalogs.get(target);
        if (catalog == null) {
            return;
        }
        changed(target);
        if (schemas.isEmpty()) {
            catalog.invalidateAll();
        } else {
            schemas.forEach(catalog::invalidate);
        }
    }

    @Override
    public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
        InformationSchemaCatalog catalog = catalogs.get(target);
        if (catalog == null || views.isEmpty()) {
            return Set.of();
        }
        Set<CatalogTable> changed =
                views.stream().filter(view -> !catalog.stillDefines(view)).collect(Collectors.toUnmodifiableSet());
        if (!changed.isEmpty()) {
            changed(target);
        }
        return changed;
    }

    @Override
    public long version(String target) {
        AtomicLong version = versions.get(target);
        return version == null ? 0 : version.get();
    }

    private void changed(String target) {
        versions.computeIfAbsent(target, name -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
        executors.forEach(JdbcSqlExecutor::close);
    }
}
