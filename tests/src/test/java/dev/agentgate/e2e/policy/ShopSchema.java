package dev.agentgate.e2e.policy;

import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The schema {@value #NAME} the shipped policy's grants name, created fresh on the shared MariaDB (as admin,
 * not through the gateway) with a few rows; the gateway's service user may do anything in it, so what a
 * client may do is decided by the policy alone.
 */
final class ShopSchema {

    static final String NAME = "shop";

    private ShopSchema() {}

    static void create() {
        MariaDbServer mariadb = MariaDbServer.shared();
        mariadb.execute(
                "DROP DATABASE IF EXISTS shop",
                "CREATE DATABASE shop",
                "GRANT ALL PRIVILEGES ON shop.* TO '" + mariadb.serviceUser() + "'@'%'",
                "CREATE TABLE shop.products (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2))",
                "INSERT INTO shop.products VALUES (1, 'tea', 3.50), (2, 'coffee', 4.20)",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn CHAR(11))",
                "INSERT INTO shop.customers VALUES (1, 'Ada', 'ada@example.com', '123-45-6789')",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, product_id INT, qty INT)",
                "INSERT INTO shop.orders VALUES (1, 1, 2), (2, 2, 1)",
                "CREATE TABLE shop.legacy_orders (id INT PRIMARY KEY)",
                "INSERT INTO shop.legacy_orders VALUES (1)",
                "CREATE PROCEDURE shop.refresh_orders() SELECT COUNT(*) FROM shop.orders");
    }

    /** Rows in {@code shop.table}, read directly as admin. */
    static int count(String table) {
        return Integer.parseInt(scalar("SELECT COUNT(*) FROM shop." + table));
    }

    /** The first column of the first row of {@code sql}, run directly as admin. */
    static String scalar(String sql) {
        try (Connection connection = MariaDbServer.shared().connectAsAdmin()) {
            return Sql.scalar(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shop schema: " + e.getMessage(), e);
        }
    }
}
