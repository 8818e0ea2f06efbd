package dev.agentgate.analysis;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-line notation the statement corpus uses for expected facts, so a case reads like the SQL it checks:
 * tables {@code schema.name:access}, columns {@code schema.table.name:use+use} (just {@code name:use} when the
 * table is unknown), lower-case features, upper-case functions.
 */
final class CompactFacts {

    private CompactFacts() {}

    static List<String> tables(StatementFacts facts) {
        return facts.tables().stream()
                .map(t -> qualified(t.schema(), t.name()) + ":" + t.access().jsonName())
                .sorted()
                .toList();
    }

    static List<String> columns(StatementFacts facts) {
        return facts.columns().stream()
                .map(c -> (c.table() == null ? c.name() : qualified(c.schema(), c.table()) + "." + c.name()) + ":"
                        + c.uses().stream().map(ColumnUse::jsonName).collect(Collectors.joining("+")))
                .sorted()
                .toList();
    }

    static List<String> features(StatementFacts facts) {
        return facts.features().stream().map(Feature::jsonName).sorted().toList();
    }

    static List<String> functions(StatementFacts facts) {
        return facts.functions().stream().sorted().toList();
    }

    private static String qualified(String schema, String name) {
        return schema == null ? name : schema + "." + name;
    }
}
