package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.TableAccess;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaChangesTest {

    private final List<String> forgotten = new ArrayList<>();
    private final TargetCatalogs catalogs = new TargetCatalogs() {
        @Override
        public Catalog of(String target) {
            return TargetCatalogs.NONE.of(target);
        }

        @Override
        public void invalidate(String target, Set<String> schemas) {
            forgotten.add(target + ":" + schemas);
        }

        @Override
        public Set<CatalogTable> changedViews(String target, Set<CatalogTable> views) {
            return Set.of();
        }
    };

    private static StatementFacts.Builder statement(StatementType type) {
        return StatementFacts.builder().sql("...").type(type).parsed(true).digest("...", "d");
    }

    private void forget(StatementFacts.Builder... statements) {
        SchemaChanges.forget(
                catalogs,
                "appdb",
                List.of(statements).stream().map(StatementFacts.Builder::build).toList());
    }

    @Test
    void aCreateViewForgetsTheSchemasOfEveryTableItNames() {
        forget(statement(StatementType.CREATE_VIEW)
                .table("shop", "v", TableAccess.DDL)
                .table("hr", "people", TableAccess.READ));

        assertThat(forgotten).containsExactly("appdb:[shop, hr]");
    }

    @Test
    void aDropDatabaseForgetsThatSchema() {
        forget(statement(StatementType.DROP_DATABASE).database("old"));

        assertThat(forgotten).containsExactly("appdb:[old]");
    }

    @Test
    void aRenameOfAnUnqualifiedTableWithoutCurrentDatabaseForgetsEverySchema() {
        forget(statement(StatementType.RENAME_TABLE).table(null, "t", TableAccess.DDL));

        assertThat(forgotten).containsExactly("appdb:[]");
    }

    @Test
    void anUnparsedAlterForgetsEverySchema() {
        forget(statement(StatementType.ALTER_TABLE).parsed(false).table("shop", "t", TableAccess.DDL));

        assertThat(forgotten).containsExactly("appdb:[]");
    }

    @Test
    void statementsThatChangeNoSchemaForgetNothing() {
        forget(
                statement(StatementType.SELECT).table("shop", "t", TableAccess.READ),
                statement(StatementType.TRUNCATE_TABLE));

        assertThat(forgotten).isEmpty();
    }
}
