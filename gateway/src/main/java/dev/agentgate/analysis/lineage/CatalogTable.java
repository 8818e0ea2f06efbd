package dev.agentgate.analysis.lineage;

import java.util.List;
import java.util.Objects;

/**
 * A table or view of the catalog.
 *
 * @param schema         its schema, as the server spells it
 * @param name           its name, as the server spells it
 * @param columns        its columns in ordinal order (what {@code SELECT *} returns)
 * @param viewDefinition the SELECT a view is defined by; null for a base table. An empty definition (the server
 *                       hides it from users without SHOW VIEW) means a view whose lineage is unknown.
 */
public record CatalogTable(String schema, String name, List<String> columns, String viewDefinition) {

    public CatalogTable {
        Objects.requireNonNull(schema, "catalog table schema must not be null");
        Objects.requireNonNull(name, "catalog table name must not be null");
        columns = List.copyOf(Objects.requireNonNull(columns, "catalog table columns must not be null"));
    }

    public static CatalogTable table(String schema, String name, List<String> columns) {
        return new CatalogTable(schema, name, columns, null);
    }

    public static CatalogTable view(String schema, String name, List<String> columns, String definition) {
        return new CatalogTable(
                schema, name, columns, Objects.requireNonNull(definition, "view definition must not be null"));
    }

    public boolean isView() {
        return viewDefinition != null;
    }
}
