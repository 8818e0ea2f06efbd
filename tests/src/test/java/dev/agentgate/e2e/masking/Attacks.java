package dev.agentgate.e2e.masking;

import static dev.agentgate.e2e.masking.Attack.of;

import java.util.List;

/**
 * Ways an agent may try to read the masked columns of {@code shop.customers} (and {@code payment_methods}),
 * each of which the gateway must refuse or answer masked. The SQL names no PII value (an error message may
 * echo the statement).
 */
final class Attacks {

    private Attacks() {}

    private static final List<Attack> READS = List.of(
            // Plain reads
            of("plain select", "SELECT ssn, email, phone, date_of_birth FROM customers"),
            of("select star", "SELECT * FROM customers"),
            of("qualified star", "SELECT c.* FROM shop.customers c"),
            of("TABLE statement", "TABLE customers"),
            of("card numbers", "SELECT card_number FROM payment_methods"),
            of("aliases", "SELECT ssn AS id_number, email AS note, phone AS p, date_of_birth AS d FROM customers"),
            of("alias named like an unmasked column", "SELECT ssn AS name, email AS city FROM customers"),
            of("fully qualified columns", "SELECT shop.customers.ssn, customers.email FROM shop.customers"),
            of("case tricks", "SELECT SsN, eMaIl, PHONE, Date_Of_Birth FROM customers"),
            of("backticks and spaced dots", "SELECT `ssn`, `c` . `email` FROM `shop` . `customers` AS `c`"),
            of("versioned comment", "SELECT /*!50000 ssn*/ FROM customers"),
            of("versioned comment hides the column", "SELECT id /*!50000 , ssn */ FROM customers"),
            of("MariaDB executable comment", "SELECT id /*M! , email */ FROM customers"),
            of("inline comments", "SELECT/**/ssn/**/FROM/**/customers"),
            of("line comment", "SELECT id, -- x\n ssn FROM customers"),
            of("hash comment", "SELECT id, # x\n email FROM customers"),
            of("DISTINCT and LIMIT", "SELECT DISTINCT ssn FROM customers LIMIT 1 OFFSET 1"),
            of("FOR UPDATE", "SELECT ssn FROM customers FOR UPDATE"),
            of("parentheses", "SELECT ((ssn)), (email) FROM (customers)"),
            of("optimizer hint comment", "SELECT /*+ MAX_EXECUTION_TIME(1000) */ ssn FROM customers"),
            of("alias named like another table", "SELECT products.ssn, products.email FROM customers AS products"),
            of("another default database", "USE mysql", "SELECT ssn, email FROM shop.customers"),
            of("COLLATE", "SELECT ssn COLLATE utf8mb4_bin, email COLLATE utf8mb4_general_ci FROM customers"),
            // Functions over masked values
            of("CONCAT", "SELECT CONCAT(ssn, ''), CONCAT('x', email) FROM customers"),
            of("CONCAT_WS", "SELECT CONCAT_WS('|', name, email, ssn, phone, date_of_birth) FROM customers"),
            of("SUBSTRING", "SELECT SUBSTRING(ssn, 1, 6), SUBSTR(email FROM 1 FOR 5), LEFT(ssn, 6) FROM customers"),
            of(
                    "single characters",
                    "SELECT SUBSTRING(ssn, 1, 1), MID(email, 1, 1), ASCII(ssn), ORD(email) FROM customers"),
            of("HEX", "SELECT HEX(ssn), HEX(email), HEX(phone) FROM customers"),
            of("UNHEX(HEX())", "SELECT UNHEX(HEX(ssn)) FROM customers"),
            of("REVERSE", "SELECT REVERSE(ssn), REVERSE(email) FROM customers"),
            of("TO_BASE64", "SELECT TO_BASE64(ssn), TO_BASE64(email) FROM customers"),
            of("case and trim", "SELECT UPPER(email), LOWER(ssn), TRIM(ssn), LPAD(ssn, 20, '#') FROM customers"),
            of("REPLACE and INSERT", "SELECT REPLACE(ssn, '-', ''), INSERT(email, 1, 0, '>') FROM customers"),
            of(
                    "CAST AS CHAR",
                    "SELECT CAST(ssn AS CHAR), CAST(phone AS CHAR), CAST(date_of_birth AS CHAR) FROM customers"),
            of("CAST AS BINARY", "SELECT CAST(ssn AS BINARY), BINARY email FROM customers"),
            of("CONVERT USING", "SELECT CONVERT(ssn USING utf8mb4), CONVERT(email, CHAR) FROM customers"),
            of(
                    "JSON_OBJECT",
                    "SELECT JSON_OBJECT('s', ssn, 'e', email, 'p', phone, 'd', date_of_birth) FROM customers"),
            of(
                    "JSON_ARRAY and JSON_ARRAYAGG",
                    "SELECT JSON_ARRAY(email), (SELECT JSON_ARRAYAGG(ssn) FROM customers) FROM customers"),
            of("GROUP_CONCAT", "SELECT GROUP_CONCAT(ssn), GROUP_CONCAT(email SEPARATOR '') FROM customers"),
            of("CASE", "SELECT CASE WHEN id > 0 THEN ssn ELSE name END FROM customers"),
            of(
                    "IF / COALESCE / IFNULL / NULLIF",
                    "SELECT IF(1, ssn, NULL), COALESCE(NULL, email), IFNULL(phone, 0),"
                            + " NULLIF(date_of_birth, '2000-01-01') FROM customers"),
            of("QUOTE and ELT", "SELECT QUOTE(ssn), ELT(1, email) FROM customers"),
            of(
                    "date functions",
                    "SELECT DATE_FORMAT(date_of_birth, '%Y%m%d'), YEAR(date_of_birth), TO_DAYS(date_of_birth),"
                            + " date_of_birth + INTERVAL 0 DAY FROM customers"),
            of(
                    "numeric functions on the numeric column",
                    "SELECT phone DIV 1, phone + 0, FORMAT(phone, 0) FROM customers"),
            of(
                    "hashes of parts of a hashed column",
                    "SELECT SUBSTRING(card_number, 1, 1), LEFT(card_number, 4),"
                            + " CONCAT(LEFT(card_number, 0), '4') FROM payment_methods"),
            of("digests", "SELECT MD5(ssn), SHA1(email), CRC32(phone) FROM customers"),
            of("length and soundex", "SELECT LENGTH(email), CHAR_LENGTH(ssn), SOUNDEX(email) FROM customers"),
            of("aggregates", "SELECT MAX(ssn), MIN(email), MAX(phone), MIN(date_of_birth) FROM customers"),
            of("nesting", "SELECT CONCAT(UPPER(REVERSE(LOWER(CONCAT(ssn, '')))), '') FROM customers"),
            of("comparison in the select list", "SELECT id, ssn LIKE '8%', email > 'y' FROM customers"),
            // Subqueries, derived tables, CTEs, set operations
            of("scalar subquery", "SELECT (SELECT ssn FROM customers WHERE id = 1)"),
            of(
                    "scalar subquery per row",
                    "SELECT p.name, (SELECT email FROM customers c WHERE c.id = p.id) FROM products p"),
            of("derived table", "SELECT * FROM (SELECT ssn AS x, email AS y FROM customers) d"),
            of("derived table with expression", "SELECT d.x FROM (SELECT CONCAT(ssn) AS x FROM customers) AS d"),
            of(
                    "derived column named like an unmasked column",
                    "SELECT name, city FROM (SELECT ssn AS name, email AS city" + " FROM customers) t"),
            of("nested derived tables", "SELECT z FROM (SELECT y AS z FROM (SELECT email AS y FROM customers) a) b"),
            of("CTE", "WITH c AS (SELECT ssn, email FROM customers) SELECT * FROM c"),
            of("CTE with column list", "WITH c(a, b) AS (SELECT ssn, phone FROM customers) SELECT a, b FROM c"),
            of(
                    "recursive CTE copying the value",
                    "WITH RECURSIVE r(n, s) AS (SELECT 1, CAST(ssn AS CHAR(20)) FROM customers"
                            + " WHERE id = 1 UNION ALL SELECT n + 1, s FROM r WHERE n < 2) SELECT s FROM r"),
            of(
                    "recursive CTE walking characters",
                    "WITH RECURSIVE r(i, ch) AS (SELECT 1, SUBSTRING((SELECT ssn FROM customers"
                            + " WHERE id = 1), 1, 1) UNION ALL SELECT i + 1, SUBSTRING((SELECT ssn FROM customers WHERE id = 1), i + 1, 1)"
                            + " FROM r WHERE i < 11) SELECT ch FROM r"),
            of("UNION after a harmless select", "SELECT name FROM products UNION SELECT ssn FROM customers"),
            of(
                    "UNION ALL of literals and PII",
                    "SELECT 'x' UNION ALL SELECT email FROM customers UNION ALL SELECT phone FROM customers"),
            of(
                    "JSON_TABLE",
                    "SELECT t.x FROM JSON_TABLE((SELECT JSON_ARRAYAGG(ssn) FROM customers), '$[*]'"
                            + " COLUMNS (x VARCHAR(20) PATH '$')) AS t"),
            // Views and routines an admin created
            of("view over the PII table", "SELECT * FROM customer_contacts"),
            of("view renaming the columns", "SELECT tax_id, contact, born FROM people"),
            of("view over a view", "SELECT tin FROM people_of_people"),
            of("view in a join", "SELECT p.name, v.email FROM customer_contacts v JOIN products p ON p.id = v.id"),
            of("stored function", "SELECT ssn_fn(1), ssn_fn(2)"),
            of("stored procedure", "CALL customer_dump()"),
            of("stored procedure OUT parameter", "CALL ssn_of(1, @s)", "SELECT @s"),
            // Joins and windows
            of("join", "SELECT o.id, c.ssn, c.email FROM orders o JOIN customers c ON c.id = o.customer_id"),
            of("comma join", "SELECT o.qty, c.phone FROM orders o, customers c WHERE o.customer_id = c.id"),
            of("join on a masked column", "SELECT a.name, b.name FROM customers a JOIN customers b ON a.ssn < b.ssn"),
            of("join with USING", "SELECT * FROM customers JOIN payment_methods USING (id)"),
            of("NATURAL JOIN", "SELECT * FROM customers NATURAL JOIN customer_contacts"),
            of("window ORDER BY a masked column", "SELECT name, ROW_NUMBER() OVER (ORDER BY ssn) FROM customers"),
            of("window PARTITION BY", "SELECT name, COUNT(*) OVER (PARTITION BY email) FROM customers"),
            of(
                    "window functions returning the value",
                    "SELECT FIRST_VALUE(ssn) OVER (ORDER BY id), LAG(email) OVER (ORDER BY id)" + " FROM customers"),
            // Dynamic SQL
            of("PREPARE / EXECUTE", "PREPARE s FROM 'SELECT ssn, email FROM customers'", "EXECUTE s"),
            of("PREPARE from a variable", "SET @q = 'SELECT ssn FROM customers'", "PREPARE s FROM @q", "EXECUTE s"),
            of(
                    "PREPARE from a computed text",
                    "SET @q = CONCAT('SELECT s', 'sn FROM cust', 'omers')",
                    "PREPARE s FROM @q",
                    "EXECUTE s"),
            of("EXECUTE IMMEDIATE", "EXECUTE IMMEDIATE 'SELECT ssn, email FROM customers'"),
            of("EXECUTE IMMEDIATE of a computed text", "EXECUTE IMMEDIATE CONCAT('SELECT e', 'mail FROM customers')"),
            // Copies
            of("CREATE TABLE AS SELECT", "CREATE TABLE loot AS SELECT * FROM customers", "SELECT * FROM loot"),
            of(
                    "CREATE TEMPORARY TABLE AS SELECT",
                    "CREATE TEMPORARY TABLE loot2 AS SELECT ssn FROM customers",
                    "SELECT * FROM loot2"),
            of(
                    "INSERT ... SELECT into a table",
                    "INSERT INTO orders (id, customer_id, product_id, qty)"
                            + " SELECT 100 + id, id, 1, phone FROM customers",
                    "SELECT qty FROM orders WHERE id > 100"),
            of("CREATE VIEW", "CREATE VIEW loot_view AS SELECT ssn FROM customers", "SELECT * FROM loot_view"),
            of("SELECT INTO a variable", "SELECT ssn INTO @v FROM customers WHERE id = 1", "SELECT @v"),
            of("SELECT ... INTO at the end", "SELECT email FROM customers WHERE id = 1 INTO @v", "SELECT @v"),
            of("SET from a subquery", "SET @v = (SELECT ssn FROM customers WHERE id = 1)", "SELECT @v, CONCAT(@v, '')"),
            of("assignment in the select list", "SELECT @v := email FROM customers", "SELECT @v"),
            of("DO with an assignment", "DO @v := (SELECT phone FROM customers WHERE id = 1)", "SELECT @v"),
            // Inference
            of("WHERE LIKE", "SELECT id, name FROM customers WHERE ssn LIKE '8%'"),
            of("WHERE range", "SELECT COUNT(*) FROM customers WHERE email > 'y'"),
            of("WHERE on a single character", "SELECT name FROM customers WHERE SUBSTRING(ssn, 1, 1) = '8'"),
            of("WHERE REGEXP", "SELECT name FROM customers WHERE email REGEXP '^z'"),
            of("WHERE on the date", "SELECT name FROM customers WHERE date_of_birth < '1970-01-01'"),
            of("ORDER BY", "SELECT name FROM customers ORDER BY ssn"),
            of("ORDER BY position", "SELECT name, ssn FROM customers ORDER BY 2"),
            of("ORDER BY alias", "SELECT name, email AS e FROM customers ORDER BY e DESC"),
            of("ORDER BY expression", "SELECT name FROM customers ORDER BY REVERSE(phone)"),
            of("GROUP BY", "SELECT LEFT(ssn, 1), COUNT(*) FROM customers GROUP BY LEFT(ssn, 1)"),
            of("HAVING", "SELECT name FROM customers GROUP BY name HAVING MAX(ssn) > '5'"),
            of("IN subquery", "SELECT name FROM customers WHERE id IN (SELECT id FROM customers WHERE ssn LIKE '3%')"),
            of(
                    "EXISTS",
                    "SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM customers d WHERE d.id = c.id"
                            + " AND d.email LIKE 'z%')"),
            of("MAX in a filter", "SELECT name FROM customers WHERE ssn = (SELECT MAX(ssn) FROM customers)"),
            of(
                    "conditional error",
                    "SELECT IF(ssn LIKE '8%', (SELECT id FROM products), 0) FROM customers WHERE id = 1"),
            of(
                    "conditional warning",
                    "SELECT 1 / IF(ssn LIKE '8%', 0, 1) FROM customers WHERE id = 1",
                    "SHOW WARNINGS"),
            of(
                    "NULL oracle",
                    "SELECT id, IF(SUBSTRING(ssn, 1, 1) = '8', NULL, 'x'), NULLIF(LEFT(email, 1), 'z') FROM customers"),
            of("DISTINCT row-count oracle", "SELECT DISTINCT IF(id = 1 AND ssn LIKE '85%', 'a', 'b') FROM customers"),
            of(
                    "UNION de-duplication oracle",
                    "SELECT id FROM customers UNION SELECT IF(ssn LIKE '85%', 1, 99) FROM customers" + " WHERE id = 1"),
            of(
                    "join on an expression of a masked column",
                    "SELECT c.id, p.name FROM customers c JOIN products p" + " ON p.id = IF(c.ssn LIKE '8%', 1, 2)"),
            of("row count of ANALYZE", "ANALYZE SELECT id FROM customers WHERE id = 1 AND ssn LIKE '8%'"),
            of("COUNT DISTINCT", "SELECT COUNT(DISTINCT LEFT(ssn, 1)) FROM customers"),
            // Error channels
            of(
                    "CAST AS SIGNED, then SHOW WARNINGS",
                    "SELECT CAST(ssn AS SIGNED), CAST(email AS DOUBLE) FROM customers",
                    "SHOW WARNINGS"),
            of("arithmetic, then SHOW WARNINGS", "SELECT ssn + 0, email * 1, -email FROM customers", "SHOW WARNINGS"),
            of("comparison with a number", "SELECT id FROM customers WHERE ssn = 0", "SHOW WARNINGS"),
            of(
                    "CAST to temporal and decimal types",
                    "SELECT CAST(email AS DATE), DATE(ssn), CAST(ssn AS TIME),"
                            + " CAST(email AS DATETIME), CAST(email AS DECIMAL(10,2)) FROM customers",
                    "SHOW WARNINGS"),
            of("duplicate entry error", "SELECT COUNT(*) FROM customers GROUP BY CONCAT(ssn, FLOOR(RAND(0) * 2))"),
            of(
                    "implicit conversion of function arguments",
                    "SELECT LEFT('abc', ssn), REPEAT('x', email), ELT(ssn, 'a'),"
                            + " SPACE(email), ROUND(1, ssn) FROM customers",
                    "SHOW WARNINGS"),
            of("EXTRACTVALUE", "SELECT EXTRACTVALUE(1, CONCAT(0x7e, ssn)) FROM customers"),
            of("UPDATEXML", "SELECT UPDATEXML(1, CONCAT(0x7e, email), 1) FROM customers"),
            of("SHOW ERRORS", "SELECT EXTRACTVALUE(1, CONCAT('/', email, '/#')) FROM customers", "SHOW ERRORS"),
            of(
                    "GET DIAGNOSTICS",
                    "SELECT CAST(ssn AS SIGNED) FROM customers",
                    "GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT",
                    "SELECT @m"),
            of("warning count", "SELECT ssn + 0 FROM customers", "SELECT @@warning_count, @@error_count"),
            // Multi-statements and session settings
            of("multi-statement", "SELECT name FROM products; SELECT ssn, email FROM customers"),
            of("multi-statement with warnings", "SELECT 1; SELECT CAST(ssn AS SIGNED) FROM customers; SHOW WARNINGS"),
            of("multi-statement variable copy", "SELECT ssn INTO @v FROM customers WHERE id = 2; SELECT @v"),
            of(
                    "ANSI_QUOTES identifiers",
                    "SET sql_mode = 'ANSI_QUOTES'",
                    "SELECT \"ssn\", CONCAT(\"email\") FROM customers"),
            of("PIPES_AS_CONCAT", "SET sql_mode = 'PIPES_AS_CONCAT'", "SELECT 'x' || ssn FROM customers"),
            of(
                    "binary result character set",
                    "SET character_set_results = 'binary'",
                    "SELECT ssn, CONCAT(email) FROM customers"),
            // Other doors
            of("PROCEDURE ANALYSE", "SELECT ssn, email FROM customers PROCEDURE ANALYSE()"),
            of("HANDLER", "HANDLER customers OPEN", "HANDLER customers READ FIRST", "HANDLER customers CLOSE"),
            of("column statistics", "SELECT column_name, min_value, max_value FROM mysql.column_stats"),
            of(
                    "statement history",
                    "SELECT SQL_TEXT FROM performance_schema.events_statements_history",
                    "SELECT SQL_TEXT FROM performance_schema.events_statements_history_long"),
            // (SHOW FULL PROCESSLIST: see AdversarialMaskingTest; its ids and ports differ from run to run)
            of("process list", "SELECT INFO FROM information_schema.PROCESSLIST"),
            of("LOAD_FILE of the data file", "SELECT LOAD_FILE(CONCAT(@@datadir, 'shop/customers.ibd'))"));

    /**
     * Oracles: a masked value selects a branch whose error, warning, row count or cost differs. The first customer's
     * ssn has a '7' third in variant A (857-31-9264) and none in variant B (312-66-9264).
     */
    static final List<Attack> ORACLES = List.of(
            of(
                    // 8 occurs in variant A's hidden part only: 40 MB more, over max_allowed_packet (64 MiB), NULL
                    // with a warning; the NULL is masked, the count of warnings must not come back
                    "warning count of REPLACE over max_allowed_packet",
                    "SELECT CONCAT(REPLACE(ssn, '8', REPEAT('x', 40000000)), REPEAT('y', 30000000))"
                            + " FROM customers WHERE id = 1",
                    "SHOW COUNT(*) WARNINGS",
                    "SELECT @@warning_count"),
            of(
                    "error code selected by ELT of LOCATE",
                    "SELECT ELT(LOCATE('7', ssn), 'a', 'b', (SELECT id FROM products))"
                            + " FROM customers WHERE id = 1"),
            of(
                    "error code selected by COALESCE",
                    "SELECT COALESCE(NULLIF(LOCATE('7', ssn), 3), (SELECT id FROM products))"
                            + " FROM customers WHERE id = 1"),
            of(
                    "error code selected by FIELD and CASE",
                    "SELECT CASE FIELD(SUBSTRING(ssn, 3, 1), '7') WHEN 1 THEN"
                            + " (SELECT id FROM products) ELSE 0 END FROM customers WHERE id = 1"),
            of(
                    "division by a function of the value",
                    "SELECT 1 DIV (LOCATE('7', ssn) - 3) FROM customers WHERE id = 1",
                    "SHOW WARNINGS"),
            of(
                    "position argument converted from the value",
                    "SELECT SUBSTRING('abc', ssn), LEFT('abc', email)" + " FROM customers WHERE id = 1",
                    "SHOW WARNINGS"),
            of(
                    "warning code selected by INSTR",
                    "SELECT IF(INSTR(ssn, '7') = 3, 'x', '1') + 0" + " FROM customers WHERE id = 1",
                    "SHOW WARNINGS"),
            of(
                    "row count of a NATURAL JOIN against a guess",
                    "SELECT COUNT(*) FROM customers NATURAL JOIN"
                            + " (SELECT 1 AS id, CONCAT('857-3', '1-9264') AS ssn) AS guess"),
            of(
                    "row count of a JOIN USING a guess",
                    "SELECT COUNT(*) FROM customers JOIN"
                            + " (SELECT CONCAT('857-3', '1-9264') AS ssn) AS guess USING (ssn)"),
            of(
                    "NATURAL JOIN of a view with its table",
                    "SELECT COUNT(*) FROM customers NATURAL JOIN customer_contacts"),
            of(
                    "timing of a heavy subquery selected by the value",
                    "SELECT IF(LOCATE('7', ssn) = 3, (SELECT COUNT(*)"
                            + " FROM orders a, orders b, orders c, products d, products e), 0) FROM customers WHERE id = 1"),
            of(
                    "timing of BENCHMARK selected by a total function",
                    "SELECT BENCHMARK(LENGTH(CONCAT(ssn, '')) * 1000, MD5('x'))" + " FROM customers WHERE id = 1"),
            of(
                    "IN subquery comparison with a guess",
                    "SELECT COUNT(*) FROM customers WHERE ssn IN" + " (SELECT CONCAT('857-3', '1-9264'))"),
            of(
                    "LIMIT by a masked value through a variable",
                    "SELECT LOCATE('7', ssn) INTO @n FROM customers WHERE id = 1",
                    "PREPARE s FROM 'SELECT id FROM products LIMIT ?'",
                    "EXECUTE s USING @n"));

    /** The reads and the oracles. */
    static final List<Attack> ALL =
            java.util.stream.Stream.concat(READS.stream(), ORACLES.stream()).toList();

    /**
     * Ways an agent that may write ({@link MaskingGateway#writingAgent}) may try to carry masked values past the
     * masking: copies into unmasked columns, writes whose rows-changed count compares, RETURNING, conversion errors.
     */
    static final List<Attack> WRITES = List.of(
            of(
                    "UPDATE copies a masked column into another",
                    "UPDATE customers SET city = ssn WHERE id = 1",
                    "SELECT city FROM customers WHERE id = 1"),
            of(
                    "UPDATE copies through a total function",
                    "UPDATE customers SET name = CONCAT(email, '') WHERE id = 1",
                    "SELECT name FROM customers WHERE id = 1"),
            of(
                    "ON DUPLICATE KEY UPDATE copies",
                    "INSERT INTO customers (id, name) VALUES (1, 'x')" + " ON DUPLICATE KEY UPDATE city = email",
                    "SELECT city FROM customers WHERE id = 1"),
            of(
                    "INSERT SELECT into the same table",
                    "INSERT INTO customers (id, name, city) SELECT 10 + id, name, ssn" + " FROM customers",
                    "SELECT city FROM customers WHERE id > 10"),
            of(
                    "REPLACE SELECT copies",
                    "REPLACE INTO orders (id, customer_id, product_id, qty)"
                            + " SELECT 200 + id, id, 1, phone FROM customers",
                    "SELECT qty FROM orders WHERE id > 200"),
            of(
                    "UPDATE a typed column from a masked one (conversion error)",
                    "UPDATE orders SET qty =" + " (SELECT email FROM customers WHERE id = 1) WHERE id = 1",
                    "SHOW WARNINGS"),
            of(
                    "UPDATE of a masked column compares by rows changed",
                    "UPDATE customers SET ssn = CONCAT('857-3', '1-9264')" + " WHERE id = 1"),
            of("UPDATE filtered by a masked column", "UPDATE customers SET city = 'x' WHERE id = 1 AND ssn LIKE '85%'"),
            of(
                    "DELETE filtered by a masked column",
                    "DELETE FROM orders WHERE customer_id = 1 AND EXISTS"
                            + " (SELECT 1 FROM customers WHERE id = 1 AND ssn LIKE '85%')"),
            of("DELETE RETURNING masked columns", "DELETE FROM customers WHERE id = 2 RETURNING ssn, email, phone"),
            of("INSERT RETURNING star", "INSERT INTO customers (id, name) VALUES (3, 'Eve') RETURNING *"),
            of(
                    "INSERT of a masked column",
                    "INSERT INTO customers (id, name, ssn) VALUES (4, 'Mal', CONCAT('857-3', '1-9264'))"));

    /** The subset the Python client (PyMySQL, text protocol) runs too. */
    static final List<String> SCRIPT_SUBSET = List.of(
            "plain select",
            "select star",
            "TABLE statement",
            "HEX",
            "CTE",
            "view over the PII table",
            "stored function",
            "EXECUTE IMMEDIATE",
            "SELECT INTO a variable",
            "CAST AS SIGNED, then SHOW WARNINGS",
            "EXTRACTVALUE",
            "multi-statement",
            "ANSI_QUOTES identifiers",
            "ORDER BY",
            "GROUP_CONCAT",
            "error code selected by ELT of LOCATE",
            "row count of a NATURAL JOIN against a guess");
}
