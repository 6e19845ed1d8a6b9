-- The demo's workload: a small shop, with enough rows for an index or a rewrite to
-- matter.  Deterministic: the same data on every run.
SELECT setseed(0.42) \gset

CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL, country text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE products (id integer PRIMARY KEY, sku text NOT NULL, category text NOT NULL, price numeric(10, 2) NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers, status text NOT NULL,
                     region text NOT NULL, placed_at timestamptz NOT NULL, total numeric(12, 2) NOT NULL);
CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders, product_id integer NOT NULL REFERENCES products,
                          quantity integer NOT NULL, price numeric(10, 2) NOT NULL);
CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint NOT NULL, card_last4 text NOT NULL, paid_at timestamptz NOT NULL,
                       amount numeric(12, 2) NOT NULL);

INSERT INTO customers
SELECT g, format('customer%s@example.com', g), (ARRAY['DE', 'FR', 'NL', 'US', 'GB', 'SE'])[1 + g % 6],
       timestamptz '2022-01-01' + g * interval '37 minutes'
  FROM generate_series(1, 20000) g;
INSERT INTO products
SELECT g, format('SKU-%s', g), (ARRAY['books', 'games', 'garden', 'kitchen', 'music', 'toys'])[1 + g % 6],
       round((5 + random() * 195)::numeric, 2)
  FROM generate_series(1, 2000) g;
INSERT INTO orders
SELECT g, 1 + (random() * 19999)::integer,
       (ARRAY['new', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'refunded'])[1 + (random() * 6)::integer],
       (ARRAY['eu', 'us', 'apac'])[1 + g % 3],
       timestamptz '2023-01-01' + random() * interval '700 days', round((10 + random() * 490)::numeric, 2)
  FROM generate_series(1, 300000) g;
INSERT INTO order_items
SELECT o, 1 + (random() * 1999)::integer, 1 + (random() * 3)::integer, round((5 + random() * 195)::numeric, 2)
  FROM generate_series(1, 300000) o, generate_series(1, 2);
INSERT INTO payments
SELECT g, g, lpad((random() * 9999)::integer::text, 4, '0'), timestamptz '2023-01-01' + random() * interval '700 days',
       round((10 + random() * 490)::numeric, 2)
  FROM generate_series(1, 300000) g WHERE g % 10 <> 0;
ANALYZE;
