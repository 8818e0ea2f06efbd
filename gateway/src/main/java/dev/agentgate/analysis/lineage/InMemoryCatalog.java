package dev.agentgate.analysis.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A fixed catalog, built up front (tests, and a snapshot that {@link InformationSchemaCatalog} loads). */
public final class InMemoryCatalog implements Catalog {

    private final List<CatalogTable> tables;

    private InMemoryCatalog(List<CatalogTable> tables) {
        this.tables = List.copyOf(tables);
    }

    public static InMemoryCatalog of(List<CatalogTable> tables) {
        return new InMemoryCatalog(tables);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<CatalogTable> table(String schema, String name) {
        if (schema == null || name == null) {
            return Optional.empty();
        }
        Optional<CatalogTable> exact = tables.stream()
                .filter(table -> table.schema().equals(schema) && table.name().equals(name))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<CatalogTable> ignoringCase = tables.stream()
                .filter(table ->
                        table.schema().equalsIgnoreCase(schema) && table.name().equalsIgnoreCase(name))
                .toList();
        return ignoringCase.size() == 1 ? Optional.of(ignoringCase.get(0)) : Optional.empty();
    }

    List<CatalogTable> tables() {
        return tables;
    }

    /** Collects tables and views. */
    public static final class Builder {
        private final List<CatalogTable> tables = new ArrayList<>();

        private Builder() {}

        public Builder table(String schema, String name, String... columns) {
            tables.add(CatalogTable.table(schema, name, List.of(columns)));
            return this;
        }

        public Builder view(String schema, String name, String definition, String... columns) {
            tables.add(CatalogTable.view(schema, name, List.of(columns), definition));
            return this;
        }

        public InMemoryCatalog build() {
            return new InMemoryCatalog(tables);
        }
    }
}
