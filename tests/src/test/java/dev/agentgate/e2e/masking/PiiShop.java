package dev.agentgate.e2e.masking;

import dev.agentgate.e2e.env.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The schema {@value #NAME} for the masking suites, created fresh on the shared MariaDB as admin: the
 * columns the shipped rego/data.json masks ({@code *.customers.email} email, {@code ssn} partial keep_last 4,
 * {@code phone} partial keep_last 2 — here a BIGINT, so a numeric PII column —, {@code date_of_birth} null
 * (temporal), {@code *.payment_methods.card_number} hash), plain tables, and objects an admin made over the
 * PII: views, a stored procedure, a stored function, persistent column statistics.
 *
 * <p>The PII exists in two {@link Variant}s that differ only in what the masks hide (the visible ends of
 * the partial masks, the e-mail domains and all lengths are the same): an agent's whole transcript must be
 * the same for both, or something of the hidden part got through.
 */
final class PiiShop {

    static final String NAME = "shop";
    /** A value of an unmasked column of the PII table (the agent may see it). */
    static final String FIRST_CUSTOMER_CITY = "Zurich";

    /** What an agent must never see: both variants' hidden parts, and the card number (hash strategy). */
    private static final List<String> HIDDEN = List.of(
            "857-31",
            "312-66", // ssn without its last 4 (partial keep_last 4)
            "zelda",
            "quixote",
            "yorick",
            "wander", // e-mail local parts (strategy email keeps the domain)
            "41555501",
            "20255501", // phone without its last 2 digits (partial keep_last 2)
            "1961-07-23",
            "1974-11-05", // date_of_birth (strategy null)
            "49291234",
            "56781234",
            "88120077",
            "31415926"); // card numbers (strategy hash)

    private static final List<String> CARD_NUMBERS = List.of("4929123456781234", "8812007731415926");

    /** Which PII values are in the table; the hidden parts are swapped between the two rows. */
    enum Variant {
        A(
                new Customer("857-31-9264", "zelda.quixote@example.com", "4155550123", "1961-07-23"),
                new Customer("312-66-0417", "yorick.wander@example.org", "2025550178", "1974-11-05")),
        B(
                new Customer("312-66-9264", "yorick.wander@example.com", "2025550123", "1974-11-05"),
                new Customer("857-31-0417", "zelda.quixote@example.org", "4155550178", "1961-07-23"));

        private final Customer first;
        private final Customer second;

        Variant(Customer first, Customer second) {
            this.first = first;
            this.second = second;
        }

        /** The first customer's ssn in clear. */
        String firstSsn() {
            return first.ssn();
        }
    }

    private record Customer(String ssn, String email, String phone, String dateOfBirth) {
        String update(int id) {
            return "UPDATE shop.customers SET ssn = '" + ssn + "', email = '" + email + "', phone = " + phone
                    + ", date_of_birth = '" + dateOfBirth + "' WHERE id = " + id;
        }
    }

    private PiiShop() {}

    static void create() {
        MariaDbServer mariadb = MariaDbServer.shared();
        mariadb.execute(
                "DROP DATABASE IF EXISTS shop",
                "CREATE DATABASE shop",
                "GRANT ALL PRIVILEGES ON shop.* TO '" + mariadb.serviceUser() + "'@'%'",
                "CREATE TABLE shop.products (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2))",
                "INSERT INTO shop.products VALUES (1, 'tea', 3.50), (2, 'coffee', 4.20)",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, city VARCHAR(40),"
                        + " email VARCHAR(80), ssn CHAR(11), phone BIGINT UNSIGNED, date_of_birth DATE) DEFAULT CHARSET utf8mb4",
                "INSERT INTO shop.customers (id, name, city) VALUES (1, 'Ada', '" + FIRST_CUSTOMER_CITY
                        + "'), (2, 'Grace', 'Oslo')",
                Variant.A.first.update(1),
                Variant.A.second.update(2),
                "CREATE TABLE shop.payment_methods (id INT PRIMARY KEY, customer_id INT, brand VARCHAR(20), card_number CHAR(16))",
                "INSERT INTO shop.payment_methods VALUES (1, 1, 'visa', '" + CARD_NUMBERS.get(0)
                        + "'), (2, 2, 'amex', '" + CARD_NUMBERS.get(1) + "')",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer_id INT, product_id INT, qty INT)",
                "INSERT INTO shop.orders VALUES (1, 1, 1, 2), (2, 2, 2, 1), (3, 1, 2, 5)",
                "CREATE TABLE shop.type_samples (id INT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT,"
                        + " bi BIGINT, zf INT(6) UNSIGNED ZEROFILL, de DECIMAL(12,4), fl FLOAT, db DOUBLE, bt BIT(5), d DATE,"
                        + " dt DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(2), yr YEAR, ch CHAR(4), vc VARCHAR(30),"
                        + " bn BINARY(3), vb VARBINARY(8), tx TEXT, bl BLOB, en ENUM('s','m','l'), st SET('x','y','z'),"
                        + " js JSON, nul VARCHAR(5)) DEFAULT CHARSET utf8mb4",
                "INSERT INTO shop.type_samples VALUES (1, -128, 65535, -8388608, 9223372036854775807, 42, -12345678.9012,"
                        + " 3.25, 2.718281828459045, b'10101', '2024-02-29', '2024-02-29 13:14:15.123456', '2001-09-09 01:46:40.5',"
                        + " '-838:59:59.00', 2155, 'ab', 'héllo 😀', x'00ff10', x'deadbeef', 'long text', x'0001fffe', 'm', 'x,z',"
                        + " '{\"a\": [1, 2.5, null]}', NULL), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, '', NULL, '', '', '', NULL, '', NULL, NULL)",
                // What an admin made over the PII table: views (their own names, not customers), routines, statistics.
                "CREATE VIEW shop.customer_contacts AS SELECT id, name, email, ssn, phone, date_of_birth FROM shop.customers",
                "CREATE VIEW shop.people AS SELECT id, ssn AS tax_id, CONCAT(email, '') AS contact, date_of_birth AS born"
                        + " FROM shop.customers",
                "CREATE VIEW shop.people_of_people AS SELECT id, tax_id AS tin FROM shop.people",
                "CREATE PROCEDURE shop.customer_dump() SELECT * FROM shop.customers",
                "CREATE PROCEDURE shop.ssn_of(IN customer INT, OUT result VARCHAR(20))"
                        + " SELECT ssn INTO result FROM shop.customers WHERE id = customer",
                "CREATE FUNCTION shop.ssn_fn(customer INT) RETURNS VARCHAR(20) READS SQL DATA"
                        + " RETURN (SELECT ssn FROM shop.customers WHERE id = customer)",
                "ANALYZE TABLE shop.customers PERSISTENT FOR ALL");
    }

    /** Puts {@code variant}'s PII into the table and drops what an attack may have left behind (as admin). */
    static void use(Variant variant) {
        try (Connection connection = MariaDbServer.shared().connectAsAdmin();
                Statement statement = connection.createStatement()) {
            // a write an attack got through must not change what the next attack finds
            statement.execute("DELETE FROM shop.customers WHERE id > 2");
            statement.execute("INSERT IGNORE INTO shop.customers (id, name, city) VALUES (1, 'Ada', '"
                    + FIRST_CUSTOMER_CITY + "'), (2, 'Grace', 'Oslo')");
            statement.execute("UPDATE shop.customers SET name = IF(id = 1, 'Ada', 'Grace'), city = IF(id = 1, '"
                    + FIRST_CUSTOMER_CITY + "', 'Oslo')");
            statement.execute(variant.first.update(1));
            statement.execute(variant.second.update(2));
            statement.execute("DROP TABLE IF EXISTS shop.loot, shop.loot2");
            statement.execute("DROP VIEW IF EXISTS shop.loot_view");
            statement.execute("DELETE FROM shop.orders WHERE id > 100");
            statement.execute("UPDATE shop.orders SET qty = ELT(id, 2, 1, 5) WHERE id <= 3");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot switch the PII to variant " + variant + ": " + e.getMessage(), e);
        }
    }

    /**
     * The strings whose presence (case-insensitive) anywhere in what a client received means clear PII got
     * through: each hidden part as is, without separators, reversed, and hex encoded, each full value in
     * base64, and the hash of each part of a card number.
     */
    static Set<String> leakIndicators() {
        Set<String> indicators = new LinkedHashSet<>();
        for (String hidden : HIDDEN) {
            String compact = hidden.replace("-", "");
            for (String form : List.of(hidden, compact)) {
                indicators.add(form);
                indicators.add(new StringBuilder(form).reverse().toString());
                indicators.add(HexFormat.of().formatHex(form.getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (Variant variant : Variant.values()) {
            for (Customer customer : List.of(variant.first, variant.second)) {
                for (String value :
                        List.of(customer.ssn(), customer.email(), customer.phone(), customer.dateOfBirth())) {
                    indicators.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        // The hash of a part of a card number (a digit, a prefix): with the hash of a chosen text (CONCAT(LEFT(card,
        // 0),
        // '4')) it gives the card away digit by digit. Only the whole number may be hashed.
        for (String card : CARD_NUMBERS) {
            for (int start = 0; start < card.length(); start++) {
                for (int end = start + 1; end <= card.length(); end++) {
                    if (end - start < card.length()) {
                        indicators.add(MaskingGateway.hashed(card.substring(start, end)));
                    }
                }
            }
        }
        return indicators.stream()
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }

    /** {@link #leakIndicators()} computed once. */
    private static final class Indicators {
        static final Set<String> ALL = leakIndicators();
    }

    /**
     * The indicators found in {@code received}, empty when it shows no clear PII. Identifiers the gateway makes up
     * (decision ids, connection ids) are blanked first: a random decision id may contain a hidden part's digits.
     */
    static List<String> leaksIn(String received) {
        String text = Transcript.normalize(received).toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String indicator : Indicators.ALL) {
            if (text.contains(indicator)) {
                found.add(indicator);
            }
        }
        return found;
    }
}
