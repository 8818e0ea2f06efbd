package dev.agentgate.analysis.lineage;

import java.util.List;
import java.util.TreeSet;

/** The test schema: a PII table {@code shop.customers} and friends, views in the form MariaDB stores them. */
final class ShopCatalog {

    static final MaskedColumns MASKED = MaskedColumns.of("shop.customers.ssn", "shop.customers.email", "*.*.phone");

    private ShopCatalog() {}

    static InMemoryCatalog catalog() {
        return InMemoryCatalog.builder()
                .table("shop", "customers", "id", "name", "email", "ssn", "phone")
                .table("shop", "orders", "id", "customer_id", "total", "note")
                .table("shop", "products", "id", "name", "price")
                .table("crm", "leads", "id", "email", "phone")
                .view(
                        "shop",
                        "customer_contacts",
                        "select `shop`.`customers`.`id` AS `id`,`shop`.`customers`.`name` AS `name`,"
                                + "`shop`.`customers`.`email` AS `email` from `shop`.`customers`",
                        "id",
                        "name",
                        "email")
                .view(
                        "shop",
                        "ssn_digits",
                        "select `c`.`id` AS `id`,concat('x',`c`.`ssn`) AS `s` from `shop`.`customers` `c`",
                        "id",
                        "s")
                .view("shop", "nested_ssn", "select `shop`.`ssn_digits`.`s` AS `t` from `shop`.`ssn_digits`", "t")
                .view("shop", "hidden", "", "a", "b")
                .view("shop", "loop_a", "select `x` AS `x` from `shop`.`loop_b`", "x")
                .view("shop", "loop_b", "select `x` AS `x` from `shop`.`loop_a`", "x")
                .view(
                        "shop",
                        "product_names",
                        "select `shop`.`products`.`name` AS `name` from `shop`.`products`"
                                + " where `shop`.`products`.`price` > 0",
                        "name")
                .build();
    }

    /**
     * Compact notation of a lineage: source columns joined by {@code |}, sorted; a name without dots stands for
     * a column of shop.customers; {@code ?} marks an unknown origin; {@code -} a value derived from no column.
     */
    static String compact(ColumnSources sources) {
        TreeSet<String> parts = new TreeSet<>();
        sources.columns().forEach(column -> parts.add(shorten(column.qualifiedName())));
        if (sources.unknown()) {
            parts.add("?");
        }
        return parts.isEmpty() ? "-" : String.join("|", parts);
    }

    /** A masked use as {@code column use}, the column shortened like {@link #compact}. */
    static String compact(MaskedColumnUse use) {
        return (use.column() == null ? "null" : shorten(use.column())) + " "
                + use.use().jsonName();
    }

    static List<String> normalise(List<String> expected) {
        return expected == null
                ? List.of()
                : expected.stream().map(ShopCatalog::normaliseOne).toList();
    }

    private static String normaliseOne(String compact) {
        TreeSet<String> parts = new TreeSet<>(List.of(compact.split("\\|")));
        return String.join("|", parts);
    }

    private static String shorten(String qualified) {
        return qualified.startsWith("shop.customers.") ? qualified.substring("shop.customers.".length()) : qualified;
    }
}
