package dev.agentgate.analysis.lineage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog read from {@code information_schema.COLUMNS} and {@code VIEWS}, one schema at a time on first
 * use, and cached. The cache must be invalidated after DDL ({@link #invalidate(String)}, or
 * {@link #invalidateAll()} when the schema is not known); entries also expire after {@code maxAge}, because
 * other clients of the server change the schema without the gateway seeing it. A schema that cannot be loaded
 * is not cached and its tables are "not found", so their columns come out as unknown (masked under masking).
 */
public final class InformationSchemaCatalog implements Catalog {

    private static final Logger LOG = LoggerFactory.getLogger(InformationSchemaCatalog.class);

    static final String COLUMNS_QUERY = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION";
    static final String VIEWS_QUERY =
            "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?";

    static final String VIEW_QUERY =
            "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

    private record Snapshot(String schema, InMemoryCatalog tables, Instant loadedAt) {}

    private final SqlExecutor executor;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Snapshot> schemas = new ConcurrentHashMap<>();

    public InformationSchemaCatalog(SqlExecutor executor, Duration maxAge) {
        this(executor, maxAge, Clock.systemUTC());
    }

    InformationSchemaCatalog(SqlExecutor executor, Duration maxAge, Clock clock) {
        this.executor = Objects.requireNonNull(executor, "catalog executor must not be null");
        this.maxAge = Objects.requireNonNull(maxAge, "catalog max age must not be null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("catalog max age must be positive, was " + maxAge);
        }
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    @Override
    public Optional<CatalogTable> table(String schema, String name) {
        if (schema == null || name == null) {
            return Optional.empty();
        }
        return snapshot(schema).flatMap(snapshot -> snapshot.tables().table(snapshot.schema(), name));
    }

    /**
     * Whether the server still defines {@code view} (as this catalog returned it) the same way, read anew from the
     * server each time: one indexed lookup of one view. When it does not, or cannot tell, the view's schema is
     * forgotten so that the next lookup reads the current definitions.
     */
    public boolean stillDefines(CatalogTable view) {
        boolean holds;
        try {
            List<List<String>> rows = executor.query(VIEW_QUERY, List.of(view.schema(), view.name()));
            holds = rows.size() == 1
                    && Objects.equals(Objects.requireNonNullElse(rows.get(0).get(0), ""), view.viewDefinition());
        } catch (Exception failed) {
            LOG.warn(
                    "definition of view '{}.{}' could not be read again: {}",
                    view.schema(),
                    view.name(),
                    failed.toString());
            holds = false;
        }
        if (!holds) {
            invalidate(view.schema());
        }
        return holds;
    }

    /** Forgets what is cached of {@code schema}; call after DDL that names it. */
    public void invalidate(String schema) {
        if (schema != null) {
            schemas.remove(key(schema));
        }
    }

    /** Forgets everything; call after DDL whose schema is unknown (e.g. an unparsed DDL statement). */
    public void invalidateAll() {
        schemas.clear();
    }

    private Optional<Snapshot> snapshot(String schema) {
        Snapshot cached = schemas.get(key(schema));
        if (cached != null && cached.loadedAt().plus(maxAge).isAfter(clock.instant())) {
            return Optional.of(cached);
        }
        try {
            Snapshot loaded = load(schema);
            schemas.put(key(schema), loaded);
            return Optional.of(loaded);
        } catch (Exception failed) {
            LOG.warn(
                    "catalog of schema '{}' could not be loaded, its tables count as unknown: {}",
                    schema,
                    failed.toString());
            return Optional.empty();
        }
    }

    private Snapshot load(String schema) throws Exception {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (List<String> row : executor.query(COLUMNS_QUERY, List.of(schema))) {
            columns.computeIfAbsent(row.get(0), table -> new ArrayList<>()).add(row.get(1));
        }
        Map<String, String> views = new HashMap<>();
        for (List<String> row : executor.query(VIEWS_QUERY, List.of(schema))) {
            views.put(row.get(0), row.get(1) == null ? "" : row.get(1));
        }
        List<CatalogTable> tables = new ArrayList<>();
        columns.forEach((table, names) -> tables.add(new CatalogTable(schema, table, names, views.get(table))));
        return new Snapshot(schema, InMemoryCatalog.of(tables), clock.instant());
    }

    private static String key(String schema) {
        return schema.toLowerCase(Locale.ROOT);
    }
}
