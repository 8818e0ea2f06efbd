-- Sample data for ./quickstart.sh: a tiny shop. All people and numbers are made up.
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

DROP TABLE IF EXISTS orders_2019;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
  id         INT PRIMARY KEY AUTO_INCREMENT,
  name       VARCHAR(100) NOT NULL,
  email      VARCHAR(255) NOT NULL UNIQUE,
  ssn        CHAR(11)     NOT NULL COMMENT 'sensitive: masked by policy in later issues',
  phone      VARCHAR(32),
  created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE products (
  id          INT PRIMARY KEY AUTO_INCREMENT,
  sku         VARCHAR(32)   NOT NULL UNIQUE,
  name        VARCHAR(100)  NOT NULL,
  price_cents INT           NOT NULL,
  stock       INT           NOT NULL DEFAULT 0
);

CREATE TABLE orders (
  id          INT PRIMARY KEY AUTO_INCREMENT,
  customer_id INT NOT NULL,
  product_id  INT NOT NULL,
  quantity    INT NOT NULL,
  status      ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  ordered_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
  CONSTRAINT fk_orders_product  FOREIGN KEY (product_id)  REFERENCES products (id)
);

INSERT INTO customers (name, email, ssn, phone) VALUES
  ('Ada Lovelace',     'ada@example.com',     '078-05-1120', '+1 555 0100'),
  ('Alan Turing',      'alan@example.com',    '219-09-9999', '+1 555 0101'),
  ('Grace Hopper',     'grace@example.com',   '457-55-5462', '+1 555 0102'),
  ('Edsger Dijkstra',  'edsger@example.com',  '123-45-6789', NULL),
  ('Barbara Liskov',   'barbara@example.com', '987-65-4321', '+1 555 0104');

INSERT INTO products (sku, name, price_cents, stock) VALUES
  ('KB-001', 'Mechanical keyboard', 12900, 40),
  ('MS-002', 'Trackball mouse',      4900, 75),
  ('MN-003', '27" monitor',         32900, 12),
  ('CB-004', 'USB-C cable',           990, 300);

INSERT INTO orders (customer_id, product_id, quantity, status) VALUES
  (1, 1, 1, 'shipped'),
  (1, 4, 3, 'paid'),
  (2, 3, 2, 'new'),
  (3, 2, 1, 'paid'),
  (4, 1, 1, 'cancelled'),
  (5, 4, 5, 'shipped');

-- Last decade's orders, kept for the approval demo: the migrate job drops this table once a DBA approves.
CREATE TABLE orders_2019 (
  id          INT PRIMARY KEY,
  customer_id INT NOT NULL,
  quantity    INT NOT NULL
);

INSERT INTO orders_2019 VALUES (1, 2, 1), (2, 3, 4);
