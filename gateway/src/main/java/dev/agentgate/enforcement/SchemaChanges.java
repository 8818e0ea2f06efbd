package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.TableRef;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the lineage's catalogs in step with DDL that goes through the gateway: a statement of type {@code
 * create_*}, {@code alter_*}, {@code drop_*} or {@code rename_*} (parsed or not: the type comes from the tokens)
 * makes the catalog forget the schemas it names, or every schema of the target when it names none or was not
 * parsed.
 */
final class SchemaChanges {

    private static final Set<StatementType> DDL = EnumSet.noneOf(StatementType.class);

    /** How the digest of a statement that may change a schema starts. */
    private static final List<String> SCHEMA_CHANGING_STARTS = List.of("CREATE ", "ALTER ", "DROP ", "RENAME ");

    static {
        for (StatementType type : StatementType.values()) {
            if (Stream.of("create_", "alter_", "drop_", "rename_").anyMatch(type.jsonName()::startsWith)) {
                DDL.add(type);
            }
        }
    }

    private SchemaChanges() {}

    /** Forgets what the catalog of {@code target} knows of the schemas {@code statements} change. */
    static void forget(TargetCatalogs catalogs, String target, List<StatementFacts> statements) {
        for (StatementFacts statement : statements) {
            if (isDdl(statement)) {
                catalogs.invalidate(target, schemasOf(statement));
            }
        }
    }

    /**
     * Whether a statement with this digest text may be DDL, from its first word as the digest writes it (keywords in
     * upper case): for the lexer-only cache lookup, which has no facts to call {@link #isDdl} on.
     */
    static boolean mayChangeSchema(String digest) {
        // a loop, not a stream: this runs for every statement looked up before analysis
        for (String start : SCHEMA_CHANGING_STARTS) {
            if (digest.startsWith(start)) {
                return true;
            }
        }
        return false;
    }

    static boolean isDdl(StatementFacts statement) {
        return DDL.contains(statement.type());
    }

    /** The schemas a DDL statement names; empty (meaning: any) when unparsed or a table's schema is unknown. */
    private static Set<String> schemasOf(StatementFacts statement) {
        Set<String> schemas = new LinkedHashSet<>(statement.databases());
        for (TableRef table : statement.tables()) {
            if (table.schema() == null) {
                return Set.of();
            }
            schemas.add(table.schema());
        }
        return statement.parsed() ? schemas : Set.of();
    }
}
