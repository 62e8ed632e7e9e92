-- Selling online: carts, checkout settings, delivery zones, customers, orders with their lines
-- and timeline, and the payment attempts made for them.

-- How a business takes orders online. Bank transfer is offered once the account is set; an
-- order paid by transfer waits `transfer_hours` for the money before it is called off.
ALTER TABLE tenants
    ADD COLUMN order_prefix text NOT NULL DEFAULT '#'
        CHECK (order_prefix ~ '^[A-Za-z0-9#-]{0,8}$'),
    ADD COLUMN pay_on_delivery boolean NOT NULL DEFAULT true,
    ADD COLUMN pickup_in_shop boolean NOT NULL DEFAULT true,
    ADD COLUMN test_gateway boolean NOT NULL DEFAULT false,
    ADD COLUMN bank_name text NOT NULL DEFAULT '' CHECK (length(bank_name) <= 80),
    ADD COLUMN bank_account_number text NOT NULL DEFAULT '' CHECK (bank_account_number ~ '^([0-9]{10})?$'),
    ADD COLUMN bank_account_name text NOT NULL DEFAULT '' CHECK (length(bank_account_name) <= 120),
    ADD COLUMN transfer_hours integer NOT NULL DEFAULT 48 CHECK (transfer_hours BETWEEN 1 AND 120);

ALTER TABLE document_sequences DROP CONSTRAINT document_sequences_kind_check,
    ADD CONSTRAINT document_sequences_kind_check CHECK (kind IN ('stock_receipt', 'order'));

-- Where a business delivers and for how much: a zone covers states; an order above
-- `free_above` is delivered free. A state no zone covers is not delivered to.
CREATE TABLE delivery_zones (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    states     text[] NOT NULL CHECK (cardinality(states) >= 1),
    rate       numeric(19, 4) NOT NULL CHECK (rate >= 0 AND rate < 1000000000),
    free_above numeric(19, 4) CHECK (free_above >= 0),
    days       text NOT NULL DEFAULT '' CHECK (length(days) <= 40),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- The people a business sells to, whether or not they have an account. A guest's orders join
-- the account later opened with the same phone or email. An erased customer keeps their row
-- (their orders' money stays in the books) without anything that names them.
CREATE TABLE customers (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    name              text NOT NULL CHECK (length(name) <= 120),
    phone             text CHECK (phone ~ '^\+234[789][01][0-9]{8}$'),
    email             text CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    shopper_id        uuid,
    marketing_consent boolean NOT NULL DEFAULT false,
    consent_at        timestamptz,
    consent_source    text NOT NULL DEFAULT '' CHECK (length(consent_source) <= 80),
    erased_at         timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id)
);
CREATE UNIQUE INDEX customers_phone_unique ON customers (tenant_id, phone);
CREATE UNIQUE INDEX customers_shopper_unique ON customers (tenant_id, shopper_id);
CREATE INDEX customers_email ON customers (tenant_id, lower(email));

-- A cart belongs to a visit (the browser's cart cookie) or to a signed-in shopper.
CREATE TABLE carts (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    shopper_id uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id)
);
CREATE UNIQUE INDEX carts_shopper_unique ON carts (tenant_id, shopper_id);
CREATE INDEX carts_updated ON carts (updated_at);

CREATE TABLE cart_lines (
    tenant_id  uuid NOT NULL,
    cart_id    uuid NOT NULL,
    variant_id uuid NOT NULL,
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, cart_id, variant_id),
    FOREIGN KEY (tenant_id, cart_id) REFERENCES carts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE orders (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    prefix             text NOT NULL,
    number             bigint NOT NULL CHECK (number > 0),
    -- The shopper's key to the order's own page (a random v4 id, given to them alone).
    view_key           uuid NOT NULL UNIQUE,
    channel            text NOT NULL CHECK (channel IN ('store', 'pos', 'marketplace', 'draft')),
    status             text NOT NULL CHECK (status IN ('awaiting_payment', 'paid', 'processing', 'ready_for_pickup',
                                                       'shipped', 'delivered', 'completed', 'cancelled')),
    fulfilment         text NOT NULL CHECK (fulfilment IN ('pickup', 'delivery')),
    payment_method     text NOT NULL CHECK (payment_method IN ('pay_on_delivery', 'bank_transfer', 'paystack',
                                                               'test_gateway')),
    paid               boolean NOT NULL DEFAULT false,
    -- A payment the gateway reported that does not match the order (amount or currency).
    payment_flagged    boolean NOT NULL DEFAULT false,
    customer_id        uuid NOT NULL,
    shopper_id         uuid,
    contact_name       text NOT NULL CHECK (length(contact_name) <= 120),
    contact_phone      text NOT NULL,
    contact_email      text,
    shipping_address   jsonb,
    billing_address    jsonb,
    pickup_location_id uuid,
    delivery_zone      text NOT NULL DEFAULT '',
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    vat_rate           numeric(7, 4) NOT NULL,
    prices_include_tax boolean NOT NULL,
    subtotal           numeric(19, 4) NOT NULL,
    discount           numeric(19, 4) NOT NULL,
    vat                numeric(19, 4) NOT NULL,
    delivery           numeric(19, 4) NOT NULL,
    total              numeric(19, 4) NOT NULL CHECK (total >= 0),
    note               text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    -- A transfer or a gateway payment not made by then calls the order off.
    pay_by             timestamptz,
    placed_at          timestamptz NOT NULL DEFAULT now(),
    paid_at            timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id),
    FOREIGN KEY (tenant_id, pickup_location_id) REFERENCES locations (tenant_id, id),
    CHECK ((fulfilment = 'pickup') = (pickup_location_id IS NOT NULL)),
    CHECK ((fulfilment = 'delivery') = (shipping_address IS NOT NULL))
);
CREATE INDEX orders_placed ON orders (tenant_id, placed_at DESC, id DESC);
CREATE INDEX orders_customer ON orders (tenant_id, customer_id, placed_at DESC);
CREATE INDEX orders_phone ON orders (tenant_id, contact_phone);
CREATE INDEX orders_due ON orders (pay_by) WHERE status = 'awaiting_payment' AND pay_by IS NOT NULL;

-- What was sold, as it was at the time of sale.
CREATE TABLE order_lines (
    tenant_id      uuid NOT NULL,
    order_id       uuid NOT NULL,
    position       integer NOT NULL CHECK (position >= 0),
    variant_id     uuid NOT NULL,
    product_id     uuid NOT NULL,
    name           text NOT NULL,
    sku            text NOT NULL,
    unit_price     numeric(19, 4) NOT NULL,
    quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    discount       numeric(19, 4) NOT NULL,
    tax_class      text NOT NULL CHECK (tax_class IN ('standard', 'zero', 'exempt')),
    net            numeric(19, 4) NOT NULL,
    vat            numeric(19, 4) NOT NULL,
    total          numeric(19, 4) NOT NULL,
    reservation_id uuid,
    PRIMARY KEY (tenant_id, order_id, position),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, reservation_id) REFERENCES stock_reservations (tenant_id, id)
);

-- Every change of an order: who, when, from, to, and a note.
CREATE TABLE order_events (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    order_id    uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    who         text NOT NULL,
    from_status text,
    to_status   text,
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_events_order ON order_events (tenant_id, order_id, at, id);

-- Every attempt to pay for an order, whatever the method.
CREATE TABLE payments (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    order_id    uuid NOT NULL,
    amount      numeric(19, 4) NOT NULL,
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    method      text NOT NULL CHECK (method IN ('pay_on_delivery', 'bank_transfer', 'paystack', 'test_gateway')),
    gateway     text NOT NULL DEFAULT '',
    status      text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'flagged')),
    reference   text NOT NULL,
    answer      jsonb,
    flag_reason text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, reference),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX payments_order ON payments (tenant_id, order_id, created_at);
CREATE INDEX payments_created ON payments (tenant_id, created_at DESC, id DESC);

ALTER TABLE delivery_zones ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE carts ENABLE ROW LEVEL SECURITY;
ALTER TABLE cart_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON delivery_zones USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON customers USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON carts USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON cart_lines USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON orders USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON order_lines USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON order_events USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON payments USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Orders whose payment did not come in time, across businesses, for the worker to call off
-- (each in its own business's transaction, where it is checked again under a lock).
CREATE FUNCTION unpaid_orders_due(p_limit integer)
    RETURNS TABLE (tenant_id uuid, id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT o.tenant_id, o.id FROM orders o
         WHERE o.status = 'awaiting_payment' AND o.pay_by < now()
         ORDER BY o.pay_by
         LIMIT p_limit
    $$;
