package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The catalog loaded from a real MariaDB's information_schema, and the lineage through the views stored there. */
@Tag("integration")
class InformationSchemaCatalogMariaDbTest {

    private static MariaDbServer server;
    private static Connection connection;
    private static StatementAnalyzer analyzer;
    private static ColumnLineage lineage;

    @BeforeAll
    static void createShopSchema() throws Exception {
        server = MariaDbServer.start(Files.createTempDirectory("agentgate-lineage-test"));
        server.sql(
                "CREATE DATABASE shop; USE shop;"
                        + "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(80), ssn CHAR(11), phone VARCHAR(20));"
                        + "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, total DECIMAL(10,2), note TEXT);"
                        + "CREATE VIEW contacts AS SELECT c.id, UPPER(c.email) AS mail FROM customers c WHERE c.id > 0;"
                        + "CREATE VIEW renamed (k, secret) AS SELECT id, CONCAT(ssn, '') FROM customers;"
                        + "CREATE VIEW over_view AS SELECT secret AS s, o.total FROM renamed r JOIN orders o ON o.customer_id = r.k;"
                        + "CREATE VIEW unioned AS SELECT name FROM customers UNION SELECT phone FROM customers;"
                        + "CREATE USER 'lineage'@'127.0.0.1' IDENTIFIED BY 'lineage-pw'; GRANT ALL ON shop.* TO 'lineage'@'127.0.0.1';");
        connection = DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + server.port() + "/shop", "lineage", "lineage-pw");
        analyzer = new StatementAnalyzer(Duration.ofSeconds(10));
        lineage = new ColumnLineage(analyzer);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (analyzer != null) {
            analyzer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static InformationSchemaCatalog catalog() {
        return new InformationSchemaCatalog(InformationSchemaCatalogMariaDbTest::query, Duration.ofMinutes(5));
    }

    private static List<List<String>> query(String sql, List<String> parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int width = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= width; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static List<String> lineageOf(String sql, Catalog catalog) {
        StatementLineage statement = lineage.analyze(sql, "shop", catalog).get(0);
        return statement.columns().stream()
                .map(column -> ShopCatalog.compact(column.lineage()))
                .toList();
    }

    @Test
    void loadsTablesWithTheirColumnsInOrdinalOrder() {
        assertThat(catalog().table("shop", "customers")).hasValueSatisfying(table -> {
            assertThat(table.columns()).containsExactly("id", "name", "email", "ssn", "phone");
            assertThat(table.isView()).isFalse();
        });
    }

    @Test
    void loadsViewsWithTheirDefinition() {
        assertThat(catalog().table("shop", "contacts")).hasValueSatisfying(view -> {
            assertThat(view.columns()).containsExactly("id", "mail");
            assertThat(view.viewDefinition()).containsIgnoringCase("select");
        });
    }

    @Test
    void tracesAStarThroughAViewAsTheServerStoresIt() {
        assertThat(lineageOf("SELECT * FROM contacts", catalog())).containsExactly("id", "email");
    }

    @Test
    void tracesAViewWhoseColumnsAreRenamedByItsColumnList() {
        assertThat(lineageOf("SELECT secret, k FROM renamed", catalog())).containsExactly("ssn", "id");
    }

    @Test
    void tracesAViewOverAViewJoinedToATable() {
        assertThat(lineageOf("SELECT * FROM shop.over_view", catalog())).containsExactly("ssn", "shop.orders.total");
    }

    @Test
    void tracesAUnionInsideAView() {
        assertThat(lineageOf("SELECT name FROM unioned", catalog())).containsExactly("name|phone");
    }

    @Test
    void seesATableCreatedAfterLoadingOnlyOnceInvalidated() throws Exception {
        InformationSchemaCatalog catalog = catalog();
        assertThat(catalog.table("shop", "late")).isEmpty();
        server.sql("CREATE VIEW shop.late AS SELECT ssn AS x FROM shop.customers");
        assertThat(catalog.table("shop", "late")).as("still cached").isEmpty();

        catalog.invalidate("shop");

        assertThat(lineageOf("SELECT x FROM late", catalog)).containsExactly("ssn");
    }

    @Test
    void confirmsAViewTheServerStillDefinesAsCached() {
        InformationSchemaCatalog catalog = catalog();
        CatalogTable view = catalog.table("shop", "contacts").orElseThrow();

        assertThat(catalog.stillDefines(view)).isTrue();
        assertThat(catalog.table("shop", "contacts")).as("still cached").containsSame(view);
    }

    @Test
    void seesAViewRedefinedByAnotherClientAndForgetsItsSchema() throws Exception {
        server.sql("CREATE OR REPLACE VIEW shop.nameplate AS SELECT id, name AS label FROM shop.customers");
        InformationSchemaCatalog catalog = catalog();
        CatalogTable cached = catalog.table("shop", "nameplate").orElseThrow();
        server.sql(
                "CREATE OR REPLACE VIEW shop.nameplate AS SELECT id, CONCAT(ssn, ' ', email) AS label FROM shop.customers");

        assertThat(catalog.stillDefines(cached)).isFalse();
        assertThat(lineageOf("SELECT label FROM nameplate", catalog)).containsExactly("email|ssn");
    }

    @Test
    void seesAViewDroppedOrReplacedByATable() throws Exception {
        server.sql("CREATE OR REPLACE VIEW shop.shortlived AS SELECT id FROM shop.customers");
        InformationSchemaCatalog catalog = catalog();
        CatalogTable cached = catalog.table("shop", "shortlived").orElseThrow();
        server.sql("DROP VIEW shop.shortlived; CREATE TABLE shop.shortlived (id INT)");

        assertThat(catalog.stillDefines(cached)).isFalse();
        assertThat(catalog.table("shop", "shortlived"))
                .hasValueSatisfying(table -> assertThat(table.isView()).isFalse());
    }

    @Test
    void answersNotFoundForAnUnknownSchema() {
        assertThat(catalog().table("nowhere", "customers")).isEmpty();
    }
}
