package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the policy learns about one statement; serialises to the snake_case JSON of the policy input's
 * {@code statement} (see docs/policy.md). Immutable; built by {@link Builder}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
    "sql",
    "type",
    "parsed",
    "parse_error",
    "tables",
    "columns",
    "databases",
    "functions",
    "where_clause",
    "limit_clause",
    "features",
    "digest",
    "digest_hash"
})
public record StatementFacts(
        String sql,
        StatementType type,
        boolean parsed,
        String parseError,
        List<TableRef> tables,
        List<ColumnRef> columns,
        List<String> databases,
        List<String> functions,
        boolean whereClause,
        boolean limitClause,
        List<Feature> features,
        String digest,
        String digestHash) {

    public StatementFacts {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(digest, "digest must not be null");
        Objects.requireNonNull(digestHash, "digest_hash must not be null");
        tables = List.copyOf(tables);
        columns = List.copyOf(columns);
        databases = List.copyOf(databases);
        functions = List.copyOf(functions);
        features = features.stream()
                .distinct()
                .sorted(Comparator.comparing(Feature::jsonName))
                .toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** The same facts about a statement written as {@code text} (e.g. its digest, without the literals). */
    public StatementFacts withSql(String text) {
        return new StatementFacts(
                text,
                type,
                parsed,
                parseError,
                tables,
                columns,
                databases,
                functions,
                whereClause,
                limitClause,
                features,
                digest,
                digestHash);
    }

    /** Collects facts while walking a statement; duplicates merge. Not thread-safe (one per statement). */
    public static final class Builder {
        private String sql = "";
        private StatementType type = StatementType.OTHER;
        private boolean parsed;
        private String parseError;
        private final Set<TableRef> tables = new LinkedHashSet<>();
        private final Map<List<String>, EnumSet<ColumnUse>> columns = new LinkedHashMap<>();
        private final Set<String> databases = new LinkedHashSet<>();
        private final Set<String> functions = new LinkedHashSet<>();
        private boolean whereClause;
        private boolean limitClause;
        private final EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
        private String digest = "";
        private String digestHash = "";

        private Builder() {}

        public Builder sql(String value) {
            this.sql = value;
            return this;
        }

        public Builder type(StatementType value) {
            this.type = value;
            return this;
        }

        public Builder parsed(boolean value) {
            this.parsed = value;
            return this;
        }

        public Builder parseError(String value) {
            this.parseError = value;
            return this;
        }

        public Builder table(String schema, String name, TableAccess access) {
            tables.add(new TableRef(schema, name, access));
            return this;
        }

        public Builder column(String schema, String table, String name, ColumnUse use) {
            columns.computeIfAbsent(java.util.Arrays.asList(schema, table, name), k -> EnumSet.noneOf(ColumnUse.class))
                    .add(use);
            return this;
        }

        public Builder database(String name) {
            databases.add(name);
            return this;
        }

        public Builder function(String name) {
            functions.add(name.toUpperCase(java.util.Locale.ROOT));
            return this;
        }

        public Builder whereClause(boolean value) {
            this.whereClause = value;
            return this;
        }

        public Builder limitClause(boolean value) {
            this.limitClause = value;
            return this;
        }

        public Builder feature(Feature value) {
            features.add(value);
            return this;
        }

        public Builder digest(String text, String hash) {
            this.digest = text;
            this.digestHash = hash;
            return this;
        }

        /**
         * Takes in what another statement touches (the text of a PREPARE): its tables, columns, functions,
         * features, WHERE/LIMIT; not its type, text, digest or parse status.
         */
        public Builder include(StatementFacts other) {
            other.tables().forEach(tables::add);
            other.columns().forEach(c -> c.uses().forEach(use -> column(c.schema(), c.table(), c.name(), use)));
            other.functions().forEach(this::function);
            other.features().forEach(this::feature);
            whereClause |= other.whereClause();
            limitClause |= other.limitClause();
            return this;
        }

        public StatementFacts build() {
            List<ColumnRef> columnRefs = new ArrayList<>();
            columns.forEach((key, uses) ->
                    columnRefs.add(new ColumnRef(key.get(0), key.get(1), key.get(2), List.copyOf(uses))));
            return new StatementFacts(
                    sql,
                    type,
                    parsed,
                    parseError,
                    List.copyOf(tables),
                    columnRefs,
                    List.copyOf(databases),
                    List.copyOf(functions),
                    whereClause,
                    limitClause,
                    List.copyOf(features),
                    digest,
                    digestHash);
        }
    }
}
