-- The rollups at three grains, so that a year's figures read a few thousand rows instead of
-- every hour and every day of it: what was sold is kept by hour, by day and by hour of the day
-- over each month; products and payments by day and by month. A period is read as the whole
-- months inside it plus the days at its ends.
--
-- Active customers cannot be added up from counts (a customer who ordered in two months is one
-- customer), and a year holds hundreds of thousands of customer-days. So each customer gets a
-- number within the business, and the rollups keep, by day and by month, the set of customers who
-- ordered as a bitmap, in chunks of 4,096 customers: a period's active customers are the bits set
-- in the union of its months' and days' sets. The daily counts stay, as the truth the sets are
-- drawn from and to count exactly the few customers whose orders changed since the last fold.
--
-- The rollups are figures drawn from the orders, so they are dropped, made in their new shape and
-- written afresh from the orders at the end.

DROP VIEW sales_hours_counted, sales_products_counted, sales_payments_counted;
DROP TABLE sales_hours, sales_products, sales_payments;

-- The grain of a rollup row, and the first moment of what it covers:
--   h  the hour (`hour` is that hour),
--   d  the day (`hour` is its midnight),
--   m  one hour of the day over a month (`hour` is the month's first day at that hour).
-- Units are those of the lines of the orders not cancelled.
CREATE TABLE sales_hours (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    grain           "char" NOT NULL CHECK (grain IN ('h', 'd', 'm')),
    hour            timestamp NOT NULL,
    channel         text NOT NULL,
    shop_id         uuid NOT NULL,
    orders          bigint NOT NULL,
    units           bigint NOT NULL,
    gross           numeric(19, 4) NOT NULL,
    vat             numeric(19, 4) NOT NULL,
    discount        numeric(19, 4) NOT NULL,
    delivery        numeric(19, 4) NOT NULL,
    cancelled       bigint NOT NULL,
    cancelled_gross numeric(19, 4) NOT NULL,
    cancelled_vat   numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, grain, hour, channel, shop_id)
);

-- By day (`grain` d, `day` the day) and by month (m, `day` its first day), for each channel and
-- shop; and the same for all of them together (D and M, with channel '' and the nil shop), which
-- is what a dashboard without a filter reads.
CREATE TABLE sales_products (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    grain      "char" NOT NULL CHECK (grain IN ('d', 'm', 'D', 'M')),
    day        date NOT NULL,
    channel    text NOT NULL,
    shop_id    uuid NOT NULL,
    product_id uuid NOT NULL,
    units      bigint NOT NULL,
    revenue    numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, grain, day, channel, shop_id, product_id)
);

CREATE TABLE sales_payments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    grain     "char" NOT NULL CHECK (grain IN ('d', 'm')),
    day       date NOT NULL,
    channel   text NOT NULL,
    shop_id   uuid NOT NULL,
    method    text NOT NULL,
    payments  bigint NOT NULL,
    amount    numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, grain, day, channel, shop_id, method)
);

-- A customer's orders in a period, found without reading every day of the business.
CREATE INDEX sales_customers_of ON sales_customers (tenant_id, customer_id, day);

-- Each customer's place in the business's customer sets, given when the customer first orders
-- and never changed.
CREATE TABLE sales_customer_numbers (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    customer_id uuid NOT NULL,
    n           integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (tenant_id, customer_id),
    UNIQUE (tenant_id, n)
);

-- Which customers ordered (orders not cancelled) by day or month, as the grains of
-- `sales_products`: bit `n % 4096` of chunk `n / 4096` is customer n. A set with no member is
-- not kept.
CREATE TABLE sales_customer_sets (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    grain     "char" NOT NULL CHECK (grain IN ('d', 'm', 'D', 'M')),
    day       date NOT NULL,
    channel   text NOT NULL,
    shop_id   uuid NOT NULL,
    chunk     integer NOT NULL CHECK (chunk >= 0),
    members   bit(4096) NOT NULL,
    PRIMARY KEY (tenant_id, grain, day, channel, shop_id, chunk)
);

-- A set of one customer, to be joined to others with bit_or.
CREATE FUNCTION sales_member(p_n integer) RETURNS bit(4096)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT set_bit(repeat('0', 4096)::bit(4096), p_n % 4096, 1) $$;

-- The grains of an hour: the hour itself, its day, and its hour of the day in its month.
CREATE FUNCTION sales_grains(p_hour timestamp) RETURNS TABLE (grain "char", hour timestamp)
    LANGUAGE sql IMMUTABLE
    AS $$
        VALUES ('h'::"char", p_hour), ('d', date_trunc('day', p_hour)),
               ('m', date_trunc('month', p_hour) + (p_hour - date_trunc('day', p_hour)))
    $$;

-- The grains of a day: the day and its month.
CREATE FUNCTION sales_day_grains(p_day date) RETURNS TABLE (grain "char", day date)
    LANGUAGE sql IMMUTABLE
    AS $$ VALUES ('d'::"char", p_day), ('m', date_trunc('month', p_day)::date) $$;

-- The rows a day's sale at a channel and shop counts in: its day and month there, and its day
-- and month for all channels and shops together.
CREATE FUNCTION sales_day_keys(p_day date, p_channel text, p_shop uuid)
    RETURNS TABLE (grain "char", day date, channel text, shop_id uuid)
    LANGUAGE sql IMMUTABLE
    AS $$
        VALUES ('d'::"char", p_day, p_channel, p_shop), ('m', date_trunc('month', p_day)::date, p_channel, p_shop),
               ('D', p_day, '', '00000000-0000-0000-0000-000000000000'::uuid),
               ('M', date_trunc('month', p_day)::date, '', '00000000-0000-0000-0000-000000000000'::uuid)
    $$;

CREATE VIEW sales_hours_counted WITH (security_invoker = true) AS
    SELECT o.tenant_id, g.grain, g.hour, o.channel, o.shop_id,
           count(*) AS orders, coalesce(sum(o.units), 0)::bigint AS units, sum(o.total) AS gross,
           sum(o.vat) AS vat, sum(o.discount) AS discount, sum(o.delivery) AS delivery,
           count(*) FILTER (WHERE o.off) AS cancelled,
           coalesce(sum(o.total) FILTER (WHERE o.off), 0) AS cancelled_gross,
           coalesce(sum(o.vat) FILTER (WHERE o.off), 0) AS cancelled_vat
      FROM (SELECT o.tenant_id, date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) AS hour, o.channel,
                   sales_shop(o.pickup_location_id) AS shop_id, o.total, o.vat, o.discount, o.delivery,
                   o.status = 'cancelled' AS off,
                   CASE WHEN o.status <> 'cancelled' THEN
                       (SELECT sum(l.quantity) FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)
                   END AS units
              FROM orders o JOIN tenants t ON t.id = o.tenant_id) o
      CROSS JOIN LATERAL sales_grains(o.hour) g
     GROUP BY 1, 2, 3, 4, 5;

CREATE VIEW sales_products_counted WITH (security_invoker = true) AS
    SELECT o.tenant_id, g.grain, g.day, g.channel, g.shop_id, l.product_id,
           sum(l.quantity)::bigint AS units, sum(l.total) AS revenue
      FROM orders o JOIN tenants t ON t.id = o.tenant_id
      JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
      CROSS JOIN LATERAL sales_day_keys((o.placed_at AT TIME ZONE t.time_zone)::date, o.channel,
                                        sales_shop(o.pickup_location_id)) g
     WHERE o.status <> 'cancelled'
     GROUP BY 1, 2, 3, 4, 5, 6;

CREATE VIEW sales_payments_counted WITH (security_invoker = true) AS
    SELECT tenant_id, g.grain, g.day, channel, shop_id, method, count(*) AS payments, sum(amount) AS amount
      FROM (SELECT o.tenant_id, (o.placed_at AT TIME ZONE t.time_zone)::date AS day, o.channel,
                   sales_shop(o.pickup_location_id) AS shop_id, o.payment_method AS method, o.total AS amount
              FROM orders o JOIN tenants t ON t.id = o.tenant_id
             WHERE o.status <> 'cancelled' AND o.paid AND o.channel <> 'pos'
            UNION ALL
            SELECT o.tenant_id, (o.placed_at AT TIME ZONE t.time_zone)::date, o.channel,
                   sales_shop(o.pickup_location_id), d.tender, d.amount
              FROM orders o JOIN tenants t ON t.id = o.tenant_id
              JOIN till_tenders d ON d.tenant_id = o.tenant_id AND d.order_id = o.id
             WHERE o.status <> 'cancelled') taken
      CROSS JOIN LATERAL sales_day_grains(taken.day) g
     GROUP BY 1, 2, 3, 4, 5, 6;

-- The customer sets as the daily counts say they must be (every customer who ordered numbered).
CREATE VIEW sales_customer_sets_counted WITH (security_invoker = true) AS
    SELECT c.tenant_id, g.grain, g.day, g.channel, g.shop_id, n.n / 4096 AS chunk,
           bit_or(sales_member(n.n)) AS members
      FROM sales_customers c
      JOIN sales_customer_numbers n ON n.tenant_id = c.tenant_id AND n.customer_id = c.customer_id
      CROSS JOIN LATERAL sales_day_keys(c.day, c.channel, c.shop_id) g
     WHERE c.orders > 0
     GROUP BY 1, 2, 3, 4, 5, 6;

-- Numbers the customers of `p_customers` (each of the business beside it in `p_tenants`) who
-- have none yet, after the highest number their business has given.
CREATE FUNCTION sales_number_customers(p_tenants uuid[], p_customers uuid[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        INSERT INTO sales_customer_numbers (tenant_id, customer_id, n)
        SELECT k.tenant_id, k.customer_id,
               coalesce((SELECT max(x.n) FROM sales_customer_numbers x WHERE x.tenant_id = k.tenant_id), -1)
               + row_number() OVER (PARTITION BY k.tenant_id ORDER BY k.customer_id)
          FROM (SELECT DISTINCT t, c FROM unnest(p_tenants, p_customers) u(t, c)) k(tenant_id, customer_id)
         WHERE NOT EXISTS (SELECT 1 FROM sales_customer_numbers x
                            WHERE x.tenant_id = k.tenant_id AND x.customer_id = k.customer_id)
    $$;

-- Draws again the customer sets where the daily counts of the given customers changed (each
-- the business, day, channel and shop beside it): each day's set from the counts of that day
-- (at its channel and shop, or at all of them), then each month's from the sets of its days.
CREATE FUNCTION sales_redraw_customer_sets(p_tenants uuid[], p_days date[], p_channels text[], p_shops uuid[],
                                           p_customers uuid[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        PERFORM sales_number_customers(p_tenants, p_customers);
        WITH keys AS (
            SELECT DISTINCT k.t AS tenant_id, g.grain, g.day, g.channel, g.shop_id, n.n / 4096 AS chunk
              FROM unnest(p_tenants, p_days, p_channels, p_shops, p_customers) k(t, d, ch, s, c)
              JOIN sales_customer_numbers n ON n.tenant_id = k.t AND n.customer_id = k.c
              CROSS JOIN LATERAL sales_day_keys(k.d, k.ch, k.s) g
             WHERE g.grain IN ('d', 'D')
        ), drawn AS (
            SELECT k.*, (SELECT bit_or(sales_member(n.n))
                           FROM sales_customers c
                           JOIN sales_customer_numbers n ON n.tenant_id = c.tenant_id AND n.customer_id = c.customer_id
                          WHERE c.tenant_id = k.tenant_id AND c.day = k.day AND c.orders > 0 AND n.n / 4096 = k.chunk
                            AND (k.grain = 'D' OR (c.channel = k.channel AND c.shop_id = k.shop_id))) AS members
              FROM keys k
        ), emptied AS (
            DELETE FROM sales_customer_sets s USING drawn d
             WHERE d.members IS NULL AND s.tenant_id = d.tenant_id AND s.grain = d.grain AND s.day = d.day
               AND s.channel = d.channel AND s.shop_id = d.shop_id AND s.chunk = d.chunk
        )
        INSERT INTO sales_customer_sets AS s
        SELECT tenant_id, grain, day, channel, shop_id, chunk, members FROM drawn WHERE members IS NOT NULL
        ON CONFLICT (tenant_id, grain, day, channel, shop_id, chunk) DO UPDATE SET members = excluded.members;

        WITH keys AS (
            SELECT DISTINCT k.t AS tenant_id, g.grain, g.day, g.channel, g.shop_id, n.n / 4096 AS chunk
              FROM unnest(p_tenants, p_days, p_channels, p_shops, p_customers) k(t, d, ch, s, c)
              JOIN sales_customer_numbers n ON n.tenant_id = k.t AND n.customer_id = k.c
              CROSS JOIN LATERAL sales_day_keys(k.d, k.ch, k.s) g
             WHERE g.grain IN ('m', 'M')
        ), drawn AS (
            SELECT k.*, (SELECT bit_or(s.members) FROM sales_customer_sets s
                          WHERE s.tenant_id = k.tenant_id AND s.grain = CASE k.grain WHEN 'm' THEN 'd' ELSE 'D' END
                            AND s.day >= k.day AND s.day < (k.day + interval '1 month')::date
                            AND s.channel = k.channel AND s.shop_id = k.shop_id AND s.chunk = k.chunk) AS members
              FROM keys k
        ), emptied AS (
            DELETE FROM sales_customer_sets s USING drawn d
             WHERE d.members IS NULL AND s.tenant_id = d.tenant_id AND s.grain = d.grain AND s.day = d.day
               AND s.channel = d.channel AND s.shop_id = d.shop_id AND s.chunk = d.chunk
        )
        INSERT INTO sales_customer_sets AS s
        SELECT tenant_id, grain, day, channel, shop_id, chunk, members FROM drawn WHERE members IS NOT NULL
        ON CONFLICT (tenant_id, grain, day, channel, shop_id, chunk) DO UPDATE SET members = excluded.members;
    END
    $$;

-- Folds up to p_limit deltas, oldest first, into the rollups; one folder at a time (another
-- instance's worker finds the lock taken and folds nothing). Answers how many.
CREATE OR REPLACE FUNCTION fold_sales_deltas(p_limit integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        folded bigint;
        c_tenants uuid[];
        c_days date[];
        c_channels text[];
        c_shops uuid[];
        c_customers uuid[];
    BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('fold_sales_deltas')) THEN
            RETURN 0;
        END IF;
        WITH taken AS (
            DELETE FROM sales_deltas
             WHERE id IN (SELECT id FROM sales_deltas ORDER BY id LIMIT p_limit)
            RETURNING *
        ), hours AS (
            INSERT INTO sales_hours AS s
            SELECT d.tenant_id, g.grain, g.hour, d.channel, d.shop_id,
                   coalesce(sum(d.n) FILTER (WHERE d.kind = 'h'), 0), coalesce(sum(d.n) FILTER (WHERE d.kind = 'p'), 0),
                   coalesce(sum(d.amount) FILTER (WHERE d.kind = 'h'), 0), sum(d.vat), sum(d.discount), sum(d.delivery),
                   sum(d.cancelled), sum(d.cancelled_gross), sum(d.cancelled_vat)
              FROM (SELECT tenant_id, hour, channel, shop_id, kind, n, amount, vat, discount, delivery, cancelled,
                           cancelled_gross, cancelled_vat
                      FROM taken WHERE kind IN ('h', 'p')) d
             CROSS JOIN LATERAL sales_grains(d.hour) g
             GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, grain, hour, channel, shop_id) DO UPDATE
               SET orders = s.orders + excluded.orders, units = s.units + excluded.units,
                   gross = s.gross + excluded.gross, vat = s.vat + excluded.vat,
                   discount = s.discount + excluded.discount, delivery = s.delivery + excluded.delivery,
                   cancelled = s.cancelled + excluded.cancelled,
                   cancelled_gross = s.cancelled_gross + excluded.cancelled_gross,
                   cancelled_vat = s.cancelled_vat + excluded.cancelled_vat
        ), products AS (
            INSERT INTO sales_products AS s
            SELECT d.tenant_id, g.grain, g.day, g.channel, g.shop_id, d.ref_id, sum(d.n), sum(d.amount)
              FROM taken d CROSS JOIN LATERAL sales_day_keys(d.hour::date, d.channel, d.shop_id) g
             WHERE d.kind = 'p' GROUP BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (tenant_id, grain, day, channel, shop_id, product_id) DO UPDATE
               SET units = s.units + excluded.units, revenue = s.revenue + excluded.revenue
        ), methods AS (
            INSERT INTO sales_payments AS s
            SELECT d.tenant_id, g.grain, g.day, d.channel, d.shop_id, d.method, sum(d.n), sum(d.amount)
              FROM taken d CROSS JOIN LATERAL sales_day_grains(d.hour::date) g
             WHERE d.kind = 'm' GROUP BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (tenant_id, grain, day, channel, shop_id, method) DO UPDATE
               SET payments = s.payments + excluded.payments, amount = s.amount + excluded.amount
        ), customers AS (
            INSERT INTO sales_customers AS s
            SELECT tenant_id, hour::date, channel, shop_id, ref_id, sum(n)
              FROM taken WHERE kind = 'c' GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, day, channel, shop_id, customer_id) DO UPDATE
               SET orders = s.orders + excluded.orders
            RETURNING s.tenant_id, s.day, s.channel, s.shop_id, s.customer_id
        )
        SELECT (SELECT count(*) FROM taken),
               array_agg(tenant_id), array_agg(day), array_agg(channel), array_agg(shop_id), array_agg(customer_id)
          INTO folded, c_tenants, c_days, c_channels, c_shops, c_customers
          FROM customers;
        IF c_tenants IS NOT NULL THEN
            PERFORM sales_redraw_customer_sets(c_tenants, c_days, c_channels, c_shops, c_customers);
        END IF;
        RETURN folded;
    END
    $$;

-- Writes one business's rollups afresh from its orders (after its time zone changed, or a
-- history was loaded with the triggers off); its deltas go, as the rebuild counts what they held.
CREATE OR REPLACE FUNCTION rebuild_sales_rollups(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('fold_sales_deltas'));
        DELETE FROM sales_deltas WHERE tenant_id = p_tenant;
        DELETE FROM sales_hours WHERE tenant_id = p_tenant;
        DELETE FROM sales_products WHERE tenant_id = p_tenant;
        DELETE FROM sales_payments WHERE tenant_id = p_tenant;
        DELETE FROM sales_customers WHERE tenant_id = p_tenant;
        DELETE FROM sales_customer_sets WHERE tenant_id = p_tenant;
        INSERT INTO sales_hours SELECT * FROM sales_hours_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_products SELECT * FROM sales_products_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_payments SELECT * FROM sales_payments_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_customers SELECT * FROM sales_customers_counted WHERE tenant_id = p_tenant;
        PERFORM sales_number_customers(array_agg(tenant_id), array_agg(customer_id))
           FROM (SELECT DISTINCT tenant_id, customer_id FROM sales_customers WHERE tenant_id = p_tenant) c;
        INSERT INTO sales_customer_sets SELECT * FROM sales_customer_sets_counted WHERE tenant_id = p_tenant;
    END
    $$;

-- The cash a shift's drawer took (cash tenders, less cash refunded, plus cash put in, less cash
-- taken out), kept as tenders and cash movements are booked: with the opening float, what the
-- drawer should hold, so that cash over or short at a year of closes is read from the shifts
-- alone rather than from every tender of the year.
ALTER TABLE till_shifts ADD COLUMN cash_moved numeric(19, 4) NOT NULL DEFAULT 0;
UPDATE till_shifts s
   SET cash_moved = coalesce((SELECT sum(d.amount) FROM till_tenders d
                               WHERE d.tenant_id = s.tenant_id AND d.shift_id = s.id AND d.tender = 'cash'), 0)
                  + coalesce((SELECT sum(CASE m.direction WHEN 'in' THEN m.amount ELSE -m.amount END)
                                FROM till_cash_movements m WHERE m.tenant_id = s.tenant_id AND m.shift_id = s.id), 0);

CREATE FUNCTION till_cash_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        was numeric := 0;
        now_ numeric := 0;
    BEGIN
        IF TG_TABLE_NAME = 'till_tenders' THEN
            IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.tender = 'cash' THEN was := OLD.amount; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.tender = 'cash' THEN now_ := NEW.amount; END IF;
        ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                was := CASE OLD.direction WHEN 'in' THEN OLD.amount ELSE -OLD.amount END;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                now_ := CASE NEW.direction WHEN 'in' THEN NEW.amount ELSE -NEW.amount END;
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND was <> 0 THEN
            UPDATE till_shifts SET cash_moved = cash_moved - was WHERE tenant_id = OLD.tenant_id AND id = OLD.shift_id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND now_ <> 0 THEN
            UPDATE till_shifts SET cash_moved = cash_moved + now_ WHERE tenant_id = NEW.tenant_id AND id = NEW.shift_id;
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER till_cash AFTER INSERT OR UPDATE OR DELETE ON till_tenders
    FOR EACH ROW EXECUTE FUNCTION till_cash_changed();
CREATE TRIGGER till_cash AFTER INSERT OR UPDATE OR DELETE ON till_cash_movements
    FOR EACH ROW EXECUTE FUNCTION till_cash_changed();

ALTER TABLE sales_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_products ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_customer_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_customer_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sales_hours USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_products USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_payments USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_customer_numbers
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_customer_sets
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM rebuild_sales_rollups(t);
    END LOOP;
END
$$;
