-- The marketplace at scale, for bench/marketplace.sh: 50 more approved vendors of the demo's
-- Naija Gadget Market with 2,000 products each (one variant, in stock at the vendor's own
-- place), and 100,000 orders already placed, each one part of one vendor's (its line, its
-- status), the demo's vendors' among them. Written straight into the tables, as the demo's
-- history is: what is measured is reading them.
\set ON_ERROR_STOP on
BEGIN;
SELECT id AS market FROM tenants WHERE slug = 'gadgetmarket' \gset

INSERT INTO vendors (tenant_id, id, name, slug, status, email, city, state)
SELECT :'market', gen_random_uuid(), 'Bench Seller ' || n, 'bench-seller-' || n, 'approved',
       'seller' || n || '@bench.test', 'Ikeja', 'Lagos'
  FROM generate_series(1, 50) n;

CREATE TEMP TABLE words (n int, word text);
INSERT INTO words
SELECT ordinality, word FROM unnest(ARRAY[
    'Samsung', 'Tecno', 'Infinix', 'itel', 'Oraimo', 'Anker', 'JBL', 'Xiaomi', 'Redmi', 'Nokia', 'Apple', 'HP',
    'Dell', 'Lenovo', 'Hisense', 'LG', 'Sony', 'Canon', 'Philips', 'Binatone', 'Haier', 'Scanfrost', 'Nexus', 'Syinix'])
    WITH ORDINALITY AS w(word, ordinality);
CREATE TEMP TABLE things (n int, thing text);
INSERT INTO things
SELECT ordinality, thing FROM unnest(ARRAY[
    'phone', 'charger', 'power bank', 'earbuds', 'speaker', 'laptop', 'tablet', 'smart watch', 'cable', 'case',
    'screen guard', 'router', 'television', 'soundbar', 'blender', 'fan', 'iron', 'kettle', 'camera', 'printer'])
    WITH ORDINALITY AS t(thing, ordinality);

-- 2,000 products a vendor: a brand, a thing and a model number.
CREATE TEMP TABLE made AS
SELECT v.id AS vendor, gen_random_uuid() AS product, gen_random_uuid() AS variant, g.i,
       w.word || ' ' || t.thing || ' ' || (100 + g.i) AS name,
       'BS' || v.rank || '-' || g.i AS sku,
       (1000 + (g.i * 37 + v.rank * 11) % 400000)::numeric AS price
  FROM (SELECT id, row_number() OVER (ORDER BY name)::int AS rank FROM vendors
         WHERE tenant_id = :'market' AND slug LIKE 'bench-seller-%') v
 CROSS JOIN generate_series(1, 2000) g(i)
  JOIN words w ON w.n = 1 + (g.i * 7 + v.rank) % 24
  JOIN things t ON t.n = 1 + (g.i * 13 + v.rank) % 20;

INSERT INTO products (tenant_id, id, vendor_id, name, status, description)
SELECT :'market', product, vendor, name, 'active', 'A ' || name || ' sold on the marketplace, with a warranty.'
  FROM made;
INSERT INTO variants (tenant_id, id, product_id, sku, price)
SELECT :'market', variant, product, sku, price FROM made;
INSERT INTO stock_levels (tenant_id, variant_id, location_id, on_hand)
SELECT :'market', m.variant, l.id, 1000
  FROM made m JOIN locations l ON l.tenant_id = :'market' AND l.vendor_id = m.vendor;

-- 100,000 orders, each one vendor's part, spread over every vendor (the demo's four included),
-- placed over the last year, most of them delivered.
INSERT INTO customers (tenant_id, id, name, phone) VALUES (:'market', gen_random_uuid(), 'Bench Shopper', '+2348030000001');
SELECT id AS customer FROM customers WHERE tenant_id = :'market' AND phone = '+2348030000001' \gset
CREATE TEMP TABLE sold AS
WITH sellers AS (SELECT array_agg(id ORDER BY id) AS ids FROM vendors WHERE tenant_id = :'market' AND status = 'approved')
SELECT gen_random_uuid() AS order_id, gen_random_uuid() AS part_id, n,
       sellers.ids[1 + n % cardinality(sellers.ids)] AS vendor,
       now() - (n || ' minutes')::interval * 5 AS placed_at,
       (ARRAY['delivered', 'delivered', 'delivered', 'completed', 'shipped', 'processing', 'paid', 'cancelled'])[1 + n % 8] AS status,
       (5000 + (n * 53) % 200000)::numeric AS total
  FROM generate_series(1, 100000) n, sellers;
INSERT INTO orders (tenant_id, id, prefix, number, view_key, channel, status, fulfilment, payment_method, paid,
                    customer_id, contact_name, contact_phone, shipping_address, currency, vat_rate, prices_include_tax,
                    subtotal, discount, vat, delivery, total, placed_at, paid_at)
SELECT :'market', order_id, '#', 5000000 + n, gen_random_uuid(), 'store', status, 'delivery', 'bank_transfer',
       status <> 'cancelled', :'customer', 'Bench Shopper', '+2348030000001',
       '{"line": "1 Allen Avenue", "city": "Ikeja", "lga": "", "state": "Lagos"}', 'NGN', 7.5, true,
       total, 0, round(total * 7.5 / 107.5, 2), 0, total, placed_at, placed_at
  FROM sold;
INSERT INTO order_parts (tenant_id, id, order_id, position, vendor_id, status, paid, goods, delivery, commission,
                         placed_at)
SELECT :'market', part_id, order_id, 1, vendor, status, status <> 'cancelled', total, 0, round(total / 10, 2), placed_at
  FROM sold;
INSERT INTO order_lines (tenant_id, order_id, position, variant_id, product_id, name, sku, unit_price, quantity, discount,
                         tax_class, net, vat, total, part_id, commission, commission_rule)
SELECT :'market', s.order_id, 0, v.id, v.product_id, 'Bench item', v.sku, s.total, 1, 0, 'standard',
       s.total - round(s.total * 7.5 / 107.5, 2), round(s.total * 7.5 / 107.5, 2), s.total, s.part_id,
       round(s.total / 10, 2), 'marketplace default (10%)'
  FROM sold s
 CROSS JOIN LATERAL (SELECT id, product_id, sku FROM variants WHERE tenant_id = :'market' LIMIT 1) v;
COMMIT;
-- The tables as autovacuum keeps them in a database in use: the planner's statistics, and the
-- search indexes' pending entries (a GIN index takes a bulk load into a pending list, which
-- makes it look dear to the planner until it is vacuumed).
SET client_min_messages = error;
VACUUM ANALYZE;
