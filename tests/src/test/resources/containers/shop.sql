-- Sample shop schema for the container suite: one table with personal data the shipped policy masks.
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), ssn VARCHAR(11));
INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.com', '123-45-6789');
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, total DECIMAL(10, 2));
INSERT INTO orders VALUES (10, 1, 99.50);
