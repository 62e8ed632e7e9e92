-- The dashboard's figures, kept as orders change instead of counted from the orders at each
-- view: what was sold by hour, by product, by payment method and by customer, in the business's
-- own time zone, by channel and shop.
--
-- Writing to a rollup row from every order would make every checkout of a business wait on the
-- same row until it commits. So the triggers only append what an order adds or takes away to
-- `sales_deltas` (no row is shared, nothing waits), and the worker folds the deltas into the
-- rollups every second. Whoever reads sums the rollups and the deltas not yet folded, so the
-- figures are exact at every moment, folded or not.

-- The shop of an order: where it is collected (a till's sales are collected at the register's
-- shop), or none (the nil id) for one that is delivered.
CREATE FUNCTION sales_shop(p_pickup uuid) RETURNS uuid
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT coalesce(p_pickup, '00000000-0000-0000-0000-000000000000'::uuid) $$;

-- Orders, totals and cancellations by hour (the business's wall-clock hour), channel and shop.
-- An order is counted in the hour it was placed, whatever happens to it later: a cancellation
-- moves its amounts into the `cancelled` columns of that same hour.
CREATE TABLE sales_hours (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    hour            timestamp NOT NULL,
    channel         text NOT NULL,
    shop_id         uuid NOT NULL,
    orders          bigint NOT NULL,
    gross           numeric(19, 4) NOT NULL,
    vat             numeric(19, 4) NOT NULL,
    discount        numeric(19, 4) NOT NULL,
    delivery        numeric(19, 4) NOT NULL,
    cancelled       bigint NOT NULL,
    cancelled_gross numeric(19, 4) NOT NULL,
    cancelled_vat   numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, hour, channel, shop_id)
);

-- Units and takings of each product by day, of orders not cancelled.
CREATE TABLE sales_products (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    day        date NOT NULL,
    channel    text NOT NULL,
    shop_id    uuid NOT NULL,
    product_id uuid NOT NULL,
    units      bigint NOT NULL,
    revenue    numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, day, channel, shop_id, product_id)
);

-- Money taken by method and day, of orders not cancelled: a paid online order's total under its
-- method, a till sale's tenders under theirs (cash, card, transfer, mobile money).
CREATE TABLE sales_payments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    day       date NOT NULL,
    channel   text NOT NULL,
    shop_id   uuid NOT NULL,
    method    text NOT NULL,
    payments  bigint NOT NULL,
    amount    numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, day, channel, shop_id, method)
);

-- Which customers ordered on which day (orders not cancelled): active customers are counted
-- from it, as a distinct count cannot be added up from totals.
CREATE TABLE sales_customers (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    day         date NOT NULL,
    channel     text NOT NULL,
    shop_id     uuid NOT NULL,
    customer_id uuid NOT NULL,
    orders      bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, channel, shop_id, customer_id)
);

-- What orders added to or took from the rollups since the last fold. `kind` says which rollup:
-- h(ours), p(roducts), m(ethods of payment), c(ustomers); the columns it does not use are null
-- or zero. `n` is the count of that rollup (orders, units, payments, orders).
CREATE TABLE sales_deltas (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    kind            "char" NOT NULL CHECK (kind IN ('h', 'p', 'm', 'c')),
    hour            timestamp NOT NULL,
    channel         text NOT NULL,
    shop_id         uuid NOT NULL,
    ref_id          uuid,
    method          text,
    n               bigint NOT NULL,
    amount          numeric(19, 4) NOT NULL DEFAULT 0,
    vat             numeric(19, 4) NOT NULL DEFAULT 0,
    discount        numeric(19, 4) NOT NULL DEFAULT 0,
    delivery        numeric(19, 4) NOT NULL DEFAULT 0,
    cancelled       bigint NOT NULL DEFAULT 0,
    cancelled_gross numeric(19, 4) NOT NULL DEFAULT 0,
    cancelled_vat   numeric(19, 4) NOT NULL DEFAULT 0
);
CREATE INDEX sales_deltas_reading ON sales_deltas (tenant_id, kind, hour);

-- The rollups as they must be, counted straight from the orders: what a rebuild writes and what
-- the tests compare the kept rollups with.
CREATE VIEW sales_hours_counted WITH (security_invoker = true) AS
    SELECT o.tenant_id, date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) AS hour, o.channel,
           sales_shop(o.pickup_location_id) AS shop_id,
           count(*) AS orders, sum(o.total) AS gross, sum(o.vat) AS vat, sum(o.discount) AS discount,
           sum(o.delivery) AS delivery,
           count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
           coalesce(sum(o.total) FILTER (WHERE o.status = 'cancelled'), 0) AS cancelled_gross,
           coalesce(sum(o.vat) FILTER (WHERE o.status = 'cancelled'), 0) AS cancelled_vat
      FROM orders o JOIN tenants t ON t.id = o.tenant_id
     GROUP BY 1, 2, 3, 4;

CREATE VIEW sales_products_counted WITH (security_invoker = true) AS
    SELECT o.tenant_id, (o.placed_at AT TIME ZONE t.time_zone)::date AS day, o.channel,
           sales_shop(o.pickup_location_id) AS shop_id, l.product_id,
           sum(l.quantity)::bigint AS units, sum(l.total) AS revenue
      FROM orders o JOIN tenants t ON t.id = o.tenant_id
      JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
     WHERE o.status <> 'cancelled'
     GROUP BY 1, 2, 3, 4, 5;

CREATE VIEW sales_payments_counted WITH (security_invoker = true) AS
    SELECT tenant_id, day, channel, shop_id, method, count(*) AS payments, sum(amount) AS amount
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
     GROUP BY 1, 2, 3, 4, 5;

CREATE VIEW sales_customers_counted WITH (security_invoker = true) AS
    SELECT o.tenant_id, (o.placed_at AT TIME ZONE t.time_zone)::date AS day, o.channel,
           sales_shop(o.pickup_location_id) AS shop_id, o.customer_id, count(*) AS orders
      FROM orders o JOIN tenants t ON t.id = o.tenant_id
     WHERE o.status <> 'cancelled' AND o.customer_id IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5;

-- What one order adds (p_sign 1) or takes away (-1) of its own figures, its lines' and its
-- tenders' left to their own triggers unless p_children says to count them here too (an order
-- that changes after its lines were written: its old self is taken away and its new self added).
CREATE FUNCTION sales_order_deltas(o orders, p_sign integer, p_children boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        at_hour timestamp;
        shop uuid := sales_shop(o.pickup_location_id);
        off boolean := o.status = 'cancelled';
    BEGIN
        SELECT date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) INTO at_hour FROM tenants t WHERE t.id = o.tenant_id;
        INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, n, amount, vat, discount, delivery,
                                  cancelled, cancelled_gross, cancelled_vat)
        VALUES (o.tenant_id, 'h', at_hour, o.channel, shop, p_sign, p_sign * o.total, p_sign * o.vat,
                p_sign * o.discount, p_sign * o.delivery, CASE WHEN off THEN p_sign ELSE 0 END,
                CASE WHEN off THEN p_sign * o.total ELSE 0 END, CASE WHEN off THEN p_sign * o.vat ELSE 0 END);
        IF off THEN
            RETURN;
        END IF;
        IF o.customer_id IS NOT NULL THEN
            INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, ref_id, n)
            VALUES (o.tenant_id, 'c', at_hour, o.channel, shop, o.customer_id, p_sign);
        END IF;
        IF o.paid AND o.channel <> 'pos' THEN
            INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, method, n, amount)
            VALUES (o.tenant_id, 'm', at_hour, o.channel, shop, o.payment_method, p_sign, p_sign * o.total);
        END IF;
        IF p_children THEN
            INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, ref_id, n, amount)
            SELECT o.tenant_id, 'p', at_hour, o.channel, shop, l.product_id, p_sign * l.quantity, p_sign * l.total
              FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id;
            INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, method, n, amount)
            SELECT o.tenant_id, 'm', at_hour, o.channel, shop, d.tender, p_sign, p_sign * d.amount
              FROM till_tenders d WHERE d.tenant_id = o.tenant_id AND d.order_id = o.id;
        END IF;
    END
    $$;

CREATE FUNCTION sales_orders_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM sales_order_deltas(NEW, 1, false);
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM sales_order_deltas(OLD, -1, false);
        ELSIF (OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled')
           OR OLD.paid IS DISTINCT FROM NEW.paid OR OLD.total IS DISTINCT FROM NEW.total
           OR OLD.vat IS DISTINCT FROM NEW.vat OR OLD.discount IS DISTINCT FROM NEW.discount
           OR OLD.delivery IS DISTINCT FROM NEW.delivery OR OLD.placed_at IS DISTINCT FROM NEW.placed_at
           OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.payment_method IS DISTINCT FROM NEW.payment_method
           OR OLD.pickup_location_id IS DISTINCT FROM NEW.pickup_location_id
           OR OLD.customer_id IS DISTINCT FROM NEW.customer_id THEN
            PERFORM sales_order_deltas(OLD, -1, true);
            PERFORM sales_order_deltas(NEW, 1, true);
        ELSE
            RETURN NULL;
        END IF;
        PERFORM pg_notify('sales', coalesce(NEW.tenant_id, OLD.tenant_id)::text);
        RETURN NULL;
    END
    $$;
CREATE TRIGGER sales_rollups AFTER INSERT OR UPDATE OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION sales_orders_changed();

-- A line or a tender added to, changed on or taken from an order that is not cancelled.
CREATE FUNCTION sales_line_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        o orders;
        at_hour timestamp;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT * INTO o FROM orders WHERE tenant_id = OLD.tenant_id AND id = OLD.order_id;
            IF FOUND AND o.status <> 'cancelled' THEN
                SELECT date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) INTO at_hour FROM tenants t WHERE t.id = o.tenant_id;
                INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, ref_id, n, amount)
                VALUES (o.tenant_id, 'p', at_hour, o.channel, sales_shop(o.pickup_location_id), OLD.product_id,
                        -OLD.quantity, -OLD.total);
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            SELECT * INTO o FROM orders WHERE tenant_id = NEW.tenant_id AND id = NEW.order_id;
            IF FOUND AND o.status <> 'cancelled' THEN
                SELECT date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) INTO at_hour FROM tenants t WHERE t.id = o.tenant_id;
                INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, ref_id, n, amount)
                VALUES (o.tenant_id, 'p', at_hour, o.channel, sales_shop(o.pickup_location_id), NEW.product_id,
                        NEW.quantity, NEW.total);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER sales_rollups AFTER INSERT OR UPDATE OR DELETE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION sales_line_changed();

CREATE FUNCTION sales_tender_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        o orders;
        at_hour timestamp;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.order_id IS NOT NULL THEN
            SELECT * INTO o FROM orders WHERE tenant_id = OLD.tenant_id AND id = OLD.order_id;
            IF FOUND AND o.status <> 'cancelled' THEN
                SELECT date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) INTO at_hour FROM tenants t WHERE t.id = o.tenant_id;
                INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, method, n, amount)
                VALUES (o.tenant_id, 'm', at_hour, o.channel, sales_shop(o.pickup_location_id), OLD.tender, -1, -OLD.amount);
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.order_id IS NOT NULL THEN
            SELECT * INTO o FROM orders WHERE tenant_id = NEW.tenant_id AND id = NEW.order_id;
            IF FOUND AND o.status <> 'cancelled' THEN
                SELECT date_trunc('hour', o.placed_at AT TIME ZONE t.time_zone) INTO at_hour FROM tenants t WHERE t.id = o.tenant_id;
                INSERT INTO sales_deltas (tenant_id, kind, hour, channel, shop_id, method, n, amount)
                VALUES (o.tenant_id, 'm', at_hour, o.channel, sales_shop(o.pickup_location_id), NEW.tender, 1, NEW.amount);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER sales_rollups AFTER INSERT OR UPDATE OR DELETE ON till_tenders
    FOR EACH ROW EXECUTE FUNCTION sales_tender_changed();

-- Folds up to p_limit deltas, oldest first, into the rollups, in one statement; one folder at a
-- time (another instance's worker finds the lock taken and folds nothing). Answers how many.
CREATE FUNCTION fold_sales_deltas(p_limit integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        folded bigint;
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
            SELECT tenant_id, hour, channel, shop_id, sum(n), sum(amount), sum(vat), sum(discount), sum(delivery),
                   sum(cancelled), sum(cancelled_gross), sum(cancelled_vat)
              FROM taken WHERE kind = 'h' GROUP BY 1, 2, 3, 4
            ON CONFLICT (tenant_id, hour, channel, shop_id) DO UPDATE
               SET orders = s.orders + excluded.orders, gross = s.gross + excluded.gross, vat = s.vat + excluded.vat,
                   discount = s.discount + excluded.discount, delivery = s.delivery + excluded.delivery,
                   cancelled = s.cancelled + excluded.cancelled,
                   cancelled_gross = s.cancelled_gross + excluded.cancelled_gross,
                   cancelled_vat = s.cancelled_vat + excluded.cancelled_vat
        ), products AS (
            INSERT INTO sales_products AS s
            SELECT tenant_id, hour::date, channel, shop_id, ref_id, sum(n), sum(amount)
              FROM taken WHERE kind = 'p' GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, day, channel, shop_id, product_id) DO UPDATE
               SET units = s.units + excluded.units, revenue = s.revenue + excluded.revenue
        ), methods AS (
            INSERT INTO sales_payments AS s
            SELECT tenant_id, hour::date, channel, shop_id, method, sum(n), sum(amount)
              FROM taken WHERE kind = 'm' GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, day, channel, shop_id, method) DO UPDATE
               SET payments = s.payments + excluded.payments, amount = s.amount + excluded.amount
        ), customers AS (
            INSERT INTO sales_customers AS s
            SELECT tenant_id, hour::date, channel, shop_id, ref_id, sum(n)
              FROM taken WHERE kind = 'c' GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, day, channel, shop_id, customer_id) DO UPDATE
               SET orders = s.orders + excluded.orders
        )
        SELECT count(*) INTO folded FROM taken;
        RETURN folded;
    END
    $$;

-- Writes one business's rollups afresh from its orders (after its time zone changed, or a
-- history was loaded with the triggers off); its deltas go, as the rebuild counts what they held.
CREATE FUNCTION rebuild_sales_rollups(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('fold_sales_deltas'));
        DELETE FROM sales_deltas WHERE tenant_id = p_tenant;
        DELETE FROM sales_hours WHERE tenant_id = p_tenant;
        DELETE FROM sales_products WHERE tenant_id = p_tenant;
        DELETE FROM sales_payments WHERE tenant_id = p_tenant;
        DELETE FROM sales_customers WHERE tenant_id = p_tenant;
        INSERT INTO sales_hours SELECT * FROM sales_hours_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_products SELECT * FROM sales_products_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_payments SELECT * FROM sales_payments_counted WHERE tenant_id = p_tenant;
        INSERT INTO sales_customers SELECT * FROM sales_customers_counted WHERE tenant_id = p_tenant;
    END
    $$;

-- A business that moves to another time zone has its hours and days counted again.
CREATE FUNCTION sales_time_zone_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        PERFORM rebuild_sales_rollups(NEW.id);
        PERFORM pg_notify('sales', NEW.id::text);
        RETURN NULL;
    END
    $$;
CREATE TRIGGER sales_time_zone AFTER UPDATE OF time_zone ON tenants
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION sales_time_zone_changed();

-- A version 7 id for a moment, for rows made in bulk by SQL (a history of orders for
-- measuring): the moment's milliseconds, then random bits, as the application makes them.
CREATE FUNCTION uuid_v7_at(p_at timestamptz) RETURNS uuid
    LANGUAGE sql VOLATILE
    AS $$
        SELECT (lpad(to_hex((extract(epoch FROM p_at) * 1000)::bigint), 12, '0') || '7'
                || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid
    $$;

-- Orders still to be seen to, found without reading the finished ones.
CREATE INDEX orders_open ON orders (tenant_id, status)
    WHERE status IN ('awaiting_payment', 'paid', 'processing', 'ready_for_pickup', 'shipped');
-- Shifts open now, and shifts closed in a period.
CREATE INDEX till_shifts_closed ON till_shifts (tenant_id, closed_at);
-- Customers by when they were added: new customers in a period.
CREATE INDEX customers_added ON customers (tenant_id, created_at);

-- The dashboard each person arranged: its widgets in order, each with its size.
CREATE TABLE dashboard_layouts (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    widgets    jsonb NOT NULL CHECK (jsonb_typeof(widgets) = 'array' AND jsonb_array_length(widgets) <= 40),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);

ALTER TABLE sales_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_products ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE dashboard_layouts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sales_hours USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_products USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_payments USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_customers USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON sales_deltas USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON dashboard_layouts USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The orders already there.
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM rebuild_sales_rollups(t);
    END LOOP;
END
$$;
